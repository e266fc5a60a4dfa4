/**
 * The format of an append-only JSON-lines ledger, versioned line by line: every line written
 * carries `"v": <version>`, and a line without one is version 0, the format from before lines
 * were versioned.
 *
 * Why a field on each line rather than a header line: these files are appended to for months, by
 * whichever version of the extension or CLI is installed at the time, so one file can hold lines
 * of several versions; a header would describe only the first writer. A crash can cut any line
 * short, a user can trim a file by hand, and `.bak` copies are renamed: each line must be
 * readable on its own. The cost is a few bytes a line.
 *
 * When to bump the version: when a field is renamed, removed or changes meaning or type — and
 * then add a reader for the old version that turns it into the current type. Adding an optional
 * field or a new record kind needs no bump: readers ignore fields they do not know, and a record
 * kind they do not know is skipped and counted like any unreadable line.
 */
/** What reads one version's lines: a zod (or zod/mini) schema, or anything with the same `safeParse`. */
export interface LineReader<T> {
  safeParse(input: unknown): { success: true; data: T } | { success: false };
}

export class LineFormat<T> {
  /**
   * @param readers Index = version: the schema that reads a line of that version (its `v` removed)
   * into the current type. The last one is the version written.
   */
  constructor(private readonly readers: readonly LineReader<T>[]) {}

  /** The version new lines are written in. */
  get version(): number {
    return this.readers.length - 1;
  }

  /** One line, newline included, with the version first so a person reading the file sees it. */
  line(record: object): string {
    return `${JSON.stringify({ v: this.version, ...record })}\n`;
  }

  /** Every readable line of a ledger's text, in order; the others are skipped and counted, never thrown on. */
  parse(text: string): LinesRead<T> {
    const read: LinesRead<T> = { records: [], skipped: 0, newer: 0 };
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const record = this.parseLine(line);
      if (record === NEWER) read.newer++;
      if (record === NEWER || record === UNREADABLE) read.skipped++;
      else read.records.push(record);
    }
    return read;
  }

  private parseLine(line: string): T | typeof NEWER | typeof UNREADABLE {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return UNREADABLE; // cut short by a crash mid-write, or edited by hand
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return UNREADABLE;
    const { v = 0, ...fields } = raw as { v?: unknown };
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) return UNREADABLE;
    const reader = this.readers[v];
    if (!reader) return NEWER;
    const parsed = reader.safeParse(fields);
    return parsed.success ? parsed.data : UNREADABLE;
  }
}

const NEWER = Symbol('written by a newer version');
const UNREADABLE = Symbol('unreadable');

export interface LinesRead<T> {
  records: T[];
  /** Lines not read: cut short or not JSON, not matching their version's schema, or of a newer version. */
  skipped: number;
  /** Of `skipped`, the lines written by a newer version than this one reads: updating would read them. */
  newer: number;
}

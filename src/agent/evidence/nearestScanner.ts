import { MAX_EXCERPT_LINES } from '../../shared/report';
import { MAX_COMPARED_LINE_CHARS, normalizeSpace, spanAt, type ExcerptPattern } from './excerpt';

/** One cited excerpt being looked for in a file. */
export interface Needle {
  readonly patterns: readonly ExcerptPattern[];
  /** The line the model cited; the occurrence nearest to it wins. */
  readonly cited: number;
}

/** Where a needle was found: the first line, and the lines the excerpt covers there. */
export interface Occurrence {
  line: number;
  lines: string[];
}

interface Held {
  number: number;
  raw: string;
  norm?: string;
}

/**
 * Looks for several excerpts in one pass over a file's lines, keeping for each the occurrence
 * nearest its cited line. Lines arrive in order, one by one (`push`), or as a run the caller did
 * not decode (`skip`) because `wants` said no match can start there. Each window of
 * MAX_EXCERPT_LINES lines is compared once, when its last line arrives (or at the end of the
 * file), and only when it holds every word of a pattern. A needle is settled once the scan is
 * further past its cited line than its best occurrence is from it: nothing later can be nearer,
 * so a file is read only as far as its citations need.
 */
export class NearestScanner {
  readonly found = new Map<Needle, Occurrence>();
  /** The last MAX_EXCERPT_LINES lines, for the windows that end at the newest one. */
  private lines: Held[] = [];
  private last = 0;

  constructor(readonly needles: readonly Needle[]) {}

  /** Every needle is settled: reading on cannot change any result. */
  get done(): boolean {
    return this.needles.every((n) => this.settled(n));
  }

  /**
   * Whether a match can start in a block of whole lines: some pattern has every word in the block
   * or in `next`, the lines a window starting in the block may reach into (a word never spans
   * lines, so it is in one or the other).
   */
  wants(buf: Buffer, next?: Buffer): boolean {
    const has = (word: string) => buf.includes(word) || (next !== undefined && next.includes(word));
    return this.needles.some((n) => !this.settled(n) && n.patterns.some((p) => p.words.every(has)));
  }

  /** The next line; compares the window that it completes. */
  push(number: number, raw: string): void {
    this.last = number;
    this.lines.push({ number, raw });
    if (this.lines.length > MAX_EXCERPT_LINES) this.lines.shift();
    if (this.lines.length === MAX_EXCERPT_LINES) this.compare(this.lines);
  }

  /** Lines up to `lastNumber` were not decoded; `tail` are their last lines, for windows that start there. */
  skip(lastNumber: number, tail: readonly string[]): void {
    this.last = lastNumber;
    this.lines = tail.slice(-(MAX_EXCERPT_LINES - 1)).map((raw, i, all) => ({ number: lastNumber - all.length + 1 + i, raw }));
  }

  /** The end of the file: the windows that start in its last lines are shorter. */
  finish(): void {
    const first = this.lines.length === MAX_EXCERPT_LINES ? 1 : 0;
    for (let i = first; i < this.lines.length; i++) this.compare(this.lines.slice(i));
  }

  private settled(needle: Needle): boolean {
    const best = this.found.get(needle);
    return best !== undefined && this.last - MAX_EXCERPT_LINES + 1 >= needle.cited + Math.abs(best.line - needle.cited);
  }

  /** The window starting at `window[0]`, against every needle not yet settled. */
  private compare(window: Held[]): void {
    const has = (word: string) => window.some((l) => l.raw.includes(word));
    for (const needle of this.needles) {
      if (this.settled(needle) || !needle.patterns.some((p) => p.words.every(has))) continue;
      const span = spanAt(
        needle.patterns,
        window.map((l) => (l.norm ??= normalizeSpace(l.raw.slice(0, MAX_COMPARED_LINE_CHARS)))),
        0,
      );
      if (span > 0) this.record(needle, { line: window[0]!.number, lines: window.slice(0, span).map((l) => l.raw) });
    }
  }

  private record(needle: Needle, occurrence: Occurrence): void {
    const best = this.found.get(needle);
    if (!best || Math.abs(occurrence.line - needle.cited) < Math.abs(best.line - needle.cited)) this.found.set(needle, occurrence);
  }
}

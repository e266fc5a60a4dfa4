import { MAX_EXCERPT_LINES } from '../../shared/report';
import { MAX_COMPARED_LINE_CHARS, normalizeSpace, spanAt, type ExcerptPattern } from './excerpt';

/** One cited excerpt being looked for in a file. */
export interface Needle {
  readonly patterns: readonly ExcerptPattern[];
  /** Whitespace-free text every match holds (see compileExcerpt): a line without any of them cannot start a match near it. */
  readonly tokens: readonly string[];
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
 * nearest its cited line. Lines arrive in order, either one by one (`push`) or as a run known to
 * hold none of the excerpts' tokens (`skip`), which the caller need not decode. Only a line that
 * holds a token is compared, with the windows of up to MAX_EXCERPT_LINES lines that could contain it.
 * A needle is settled once the scan is further past its cited line than its best occurrence is
 * from it: nothing later can be nearer, so a file is read only as far as its citations need.
 */
export class NearestScanner {
  readonly found = new Map<Needle, Occurrence>();
  private lines: Held[] = [];
  /** Windows waiting for their last lines: a needle and the line the window starts at. */
  private pending: { needle: Needle; start: number }[] = [];
  private readonly scheduledUpTo = new Map<Needle, number>();
  private last = 0;

  constructor(readonly needles: readonly Needle[]) {}

  /** Every needle is settled: reading on cannot change any result. */
  get done(): boolean {
    return this.needles.every((n) => this.settled(n));
  }

  /** Whether a block of raw bytes must be decoded line by line: it holds a token, or finishes a window. */
  wants(buf: Buffer): boolean {
    return this.pending.length > 0 || this.needles.some((n) => !this.settled(n) && n.tokens.some((t) => buf.includes(t)));
  }

  push(number: number, raw: string): void {
    this.last = number;
    this.lines.push({ number, raw });
    if (this.lines.length > MAX_EXCERPT_LINES) this.lines.shift();
    for (const needle of this.needles) {
      if (this.settled(needle) || !needle.tokens.some((t) => raw.includes(t))) continue;
      const from = Math.max(number - MAX_EXCERPT_LINES + 1, (this.scheduledUpTo.get(needle) ?? 0) + 1, 1);
      for (let start = from; start <= number; start++) this.pending.push({ needle, start });
      this.scheduledUpTo.set(needle, number);
    }
    this.evaluate((start) => start <= number - MAX_EXCERPT_LINES + 1);
  }

  /** Lines up to `lastNumber` held no token (and no window was waiting); `tail` are their last lines, for windows starting there. */
  skip(lastNumber: number, tail: readonly string[]): void {
    this.last = lastNumber;
    this.lines = tail.slice(-(MAX_EXCERPT_LINES - 1)).map((raw, i, all) => ({ number: lastNumber - all.length + 1 + i, raw }));
  }

  /** The end of the file: windows still waiting are compared with the lines there are. */
  finish(): void {
    this.evaluate(() => true);
  }

  private settled(needle: Needle): boolean {
    const best = this.found.get(needle);
    return best !== undefined && this.last - MAX_EXCERPT_LINES + 1 >= needle.cited + Math.abs(best.line - needle.cited);
  }

  private evaluate(ready: (start: number) => boolean): void {
    const waiting: typeof this.pending = [];
    for (const window of this.pending) {
      if (!ready(window.start)) {
        waiting.push(window);
        continue;
      }
      const held = this.lines.filter((l) => l.number >= window.start);
      const span = spanAt(
        window.needle.patterns,
        held.map((l) => (l.norm ??= normalizeSpace(l.raw.slice(0, MAX_COMPARED_LINE_CHARS)))),
        0,
      );
      if (span > 0) this.record(window.needle, { line: window.start, lines: held.slice(0, span).map((l) => l.raw) });
    }
    this.pending = waiting;
  }

  private record(needle: Needle, occurrence: Occurrence): void {
    const best = this.found.get(needle);
    if (!best || Math.abs(occurrence.line - needle.cited) < Math.abs(best.line - needle.cited)) this.found.set(needle, occurrence);
  }
}

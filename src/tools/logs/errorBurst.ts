/** An error burst: at least this many error or fatal lines within the window (summarize_log's definition too). */
export const BURST_LINES = 5;
export const BURST_WINDOW_MS = 60_000;

export interface Burst<T> {
  /** The burst's first error. */
  first: T;
  start: number;
  /** Error lines within BURST_WINDOW_MS of the first, counted as they come. */
  count: number;
}

/**
 * Finds the first error burst of one file, fed error lines in file order: the first error from
 * which BURST_LINES errors fall within BURST_WINDOW_MS. Keeps at most a burst's worth of recent
 * errors, whatever the file's size. Lines out of time order count by their own timestamps.
 */
export class ErrorBurstDetector<T> {
  private readonly recent: { ms: number; item: T }[] = [];
  burst: Burst<T> | undefined;

  add(ms: number, item: T): void {
    if (this.burst) {
      if (ms >= this.burst.start && ms - this.burst.start <= BURST_WINDOW_MS) this.burst.count++;
      return;
    }
    this.recent.push({ ms, item });
    while (this.recent.length && ms - this.recent[0]!.ms > BURST_WINDOW_MS) this.recent.shift();
    if (this.recent.length >= BURST_LINES) {
      const first = this.recent[0]!;
      this.burst = { first: first.item, start: first.ms, count: this.recent.length };
      this.recent.length = 0;
    }
  }

  /** True once the burst is found and `ms` is past its window: later errors cannot change it. */
  settled(ms: number): boolean {
    return this.burst !== undefined && ms - this.burst.start > BURST_WINDOW_MS;
  }
}

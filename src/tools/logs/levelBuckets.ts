import { LEVELS, type Level } from './levels';

/** A line's level as a position in LEVELS; OTHER for a line without one. Counts are kept in arrays indexed so. */
export const OTHER = LEVELS.length;
const KEYS = [...LEVELS, 'other'] as const;

/** By comparisons rather than a Map lookup: it runs once per line, and level names are interned constants. */
export function levelIndex(level: Level | undefined): number {
  for (let i = 0; i < LEVELS.length; i++) if (LEVELS[i] === level) return i;
  return OTHER;
}

export type LevelCounts = Partial<Record<Level | 'other', number>>;

/** Counts as summaries show them: only the levels seen, in LEVELS order. */
export function countsByLevel(counts: ArrayLike<number>): LevelCounts {
  const out: LevelCounts = {};
  for (let i = 0; i < KEYS.length; i++) if (counts[i]) out[KEYS[i]!] = counts[i];
  return out;
}

/**
 * Lines per level per time bucket, for one pass over a log. The finest bucket is kept while
 * reading; when a log spans too long to keep that many, the buckets are regrouped into the next
 * larger size given. Lines mostly come in time order, so the bucket of the line before is tried
 * first.
 */
export class LevelBuckets {
  private buckets = new Map<number, Float64Array>();
  private currentStart = Number.NaN;
  private current: Float64Array | undefined;

  constructor(
    /** Bucket sizes in ms, smallest first; the first is where counting starts. */
    private readonly sizes: readonly number[],
    private readonly maxBuckets: number,
    public bucketMs: number = sizes[0]!,
  ) {}

  add(ts: number, level: number): void {
    if (ts >= this.currentStart && ts < this.currentStart + this.bucketMs) {
      this.current![level]!++;
      return;
    }
    const start = Math.floor(ts / this.bucketMs) * this.bucketMs;
    let counts = this.buckets.get(start);
    if (!counts) {
      if (this.buckets.size >= this.maxBuckets) {
        this.coarsen();
        return this.add(ts, level);
      }
      this.buckets.set(start, (counts = new Float64Array(KEYS.length)));
    }
    this.currentStart = start;
    this.current = counts;
    counts[level]!++;
  }

  /** The buckets by start time (ms), in the order they were first seen. */
  toMap(): Map<number, LevelCounts> {
    return new Map([...this.buckets].map(([start, counts]) => [start, countsByLevel(counts)]));
  }

  private coarsen(): void {
    const next = this.sizes.find((size) => size > this.bucketMs) ?? this.bucketMs * 2;
    const out = new Map<number, Float64Array>();
    for (const [start, counts] of this.buckets) {
      const b = Math.floor(start / next) * next;
      let target = out.get(b);
      if (!target) out.set(b, (target = new Float64Array(KEYS.length)));
      for (let i = 0; i < KEYS.length; i++) target[i]! += counts[i]!;
    }
    this.buckets = out;
    this.bucketMs = next;
    this.currentStart = Number.NaN;
    this.current = undefined;
  }
}

export interface Point {
  /** Epoch milliseconds. */
  t: number;
  v: number;
}

export interface ChangePoint {
  t: number;
  before: number;
  after: number;
}

export interface SeriesSummary {
  points: number;
  min: number;
  max: number;
  mean: number;
  last: Point;
  change?: ChangePoint;
  anomalies: Point[];
  /** At most MAX_POINTS points: bucket means, for the model and for a chart. */
  downsampled: Point[];
}

export const MAX_POINTS = 60;
/** Anomalies formatSeries lists by time and value (it counts the rest). */
export const ANOMALIES_SHOWN = 5;
const MIN_SEGMENT = 3;

/**
 * The shape of a series in a few numbers: range and mean, the most significant level shift
 * (two-segment split with the largest separation, kept only when it stands well clear of the
 * noise), points far outside the baseline (median ± 5 MADs of the part before the shift), and a
 * downsampled copy.
 */
export function summarizeSeries(raw: readonly Point[]): SeriesSummary | undefined {
  const points = raw.filter((p) => Number.isFinite(p.v)).sort((a, b) => a.t - b.t);
  if (points.length === 0) return undefined;
  const values = points.map((p) => p.v);
  const change = findChangePoint(points);
  const baseline = change ? points.filter((p) => p.t < change.t) : points;
  return {
    points: points.length,
    min: Math.min(...values),
    max: Math.max(...values),
    mean: mean(values),
    last: points.at(-1)!,
    ...(change ? { change } : {}),
    anomalies: anomaliesAgainst(baseline, change ? points.filter((p) => p.t >= change.t) : points),
    downsampled: downsample(points, MAX_POINTS),
  };
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function findChangePoint(points: readonly Point[]): ChangePoint | undefined {
  const n = points.length;
  if (n < MIN_SEGMENT * 2) return undefined;
  const prefix = [0];
  const prefixSq = [0];
  for (const p of points) {
    prefix.push(prefix.at(-1)! + p.v);
    prefixSq.push(prefixSq.at(-1)! + p.v * p.v);
  }
  let best: { k: number; score: number; before: number; after: number } | undefined;
  for (let k = MIN_SEGMENT; k <= n - MIN_SEGMENT; k++) {
    const m1 = prefix[k]! / k;
    const m2 = (prefix[n]! - prefix[k]!) / (n - k);
    const ss1 = prefixSq[k]! - k * m1 * m1;
    const ss2 = prefixSq[n]! - prefixSq[k]! - (n - k) * m2 * m2;
    const pooledSd = Math.sqrt(Math.max(ss1 + ss2, 0) / (n - 2));
    const score = Math.abs(m2 - m1) / (pooledSd || Number.EPSILON);
    if (!best || score > best.score) best = { k, score, before: m1, after: m2 };
  }
  if (!best) return undefined;
  const relative = Math.abs(best.after - best.before) / (Math.abs(best.before) || Math.abs(best.after) || 1);
  // A shift of at least 3 pooled standard deviations and 20% of the level: not noise.
  if (best.score < 3 || relative < 0.2) return undefined;
  return { t: points[best.k]!.t, before: best.before, after: best.after };
}

function anomaliesAgainst(baseline: readonly Point[], candidates: readonly Point[]): Point[] {
  if (baseline.length < MIN_SEGMENT) return [];
  const sorted = baseline.map((p) => p.v).sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const deviations = sorted.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  const mad = deviations[Math.floor(deviations.length / 2)]! * 1.4826;
  const limit = 5 * (mad || Math.abs(median) * 0.05 || Number.EPSILON);
  return candidates.filter((p) => Math.abs(p.v - median) > limit);
}

export function downsample(points: readonly Point[], max: number): Point[] {
  if (points.length <= max) return [...points];
  const first = points[0]!.t;
  const width = (points.at(-1)!.t - first) / max || 1;
  const buckets: Point[][] = Array.from({ length: max }, () => []);
  for (const p of points) buckets[Math.min(max - 1, Math.floor((p.t - first) / width))]!.push(p);
  return buckets.filter((b) => b.length).map((b) => ({ t: b[0]!.t, v: mean(b.map((p) => p.v)) }));
}

const num = (v: number) => (Math.abs(v) >= 1000 || Number.isInteger(v) ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : Number(v.toPrecision(4)).toString());
const iso = (t: number) => new Date(t).toISOString().replace(':00.000Z', 'Z').replace('.000Z', 'Z');

/** The summary as the model reads it: a few lines, then the downsampled points. */
export function formatSeries(label: string, s: SeriesSummary): string {
  const lines = [
    `${label}: ${s.points} points from ${iso(s.downsampled[0]!.t)} to ${iso(s.last.t)}`,
    `min ${num(s.min)}, max ${num(s.max)}, mean ${num(s.mean)}, last ${num(s.last.v)} at ${iso(s.last.t)}`,
  ];
  if (s.change) {
    const ratio = s.change.before !== 0 ? ` (×${num(s.change.after / s.change.before)})` : '';
    lines.push(`Level shift at ${iso(s.change.t)}: mean ${num(s.change.before)} before → ${num(s.change.after)} after${ratio}`);
  } else {
    lines.push('No significant level shift.');
  }
  if (s.anomalies.length) {
    const shown = s.anomalies.slice(0, ANOMALIES_SHOWN).map((p) => `${iso(p.t)} ${num(p.v)}`);
    lines.push(
      `${s.anomalies.length} point${s.anomalies.length === 1 ? '' : 's'} outside the ${s.change ? 'pre-shift ' : ''}baseline: ${shown.join(', ')}${s.anomalies.length > ANOMALIES_SHOWN ? ', …' : ''}`,
    );
  }
  lines.push(`Series (${s.downsampled.length} points${s.downsampled.length < s.points ? ', bucket means' : ''}): ${s.downsampled.map((p) => `${iso(p.t).slice(11, 16)} ${num(p.v)}`).join('; ')}`);
  return lines.join('\n');
}

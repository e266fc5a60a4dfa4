import { z } from 'zod';
import type { EvidenceItem, EvidenceVerification } from '../../shared/report';
import type { QueryMetricsData, SeriesFacts } from '../../tools/metrics/queryMetrics';
import { parseClaimedTime } from './claimedTime';
import { quoted } from './citing';
import type { RunObservations } from './observations';

type MetricEvidence = Extract<EvidenceItem, { kind: 'metric' }>;

/**
 * The model reads values printed to 4 significant digits, often rounds further ("about 2.9 s"),
 * and cites means as values: 5% covers that and still tells 2.9 from 2.3. A zero must be cited as
 * (almost exactly) zero.
 */
export const VALUE_TOLERANCE = 0.05;
const ZERO_TOLERANCE = 1e-9;
/** The series line prints times to the minute, so a point is within a minute of where the model puts it, or within its step when wider. */
const MIN_TIME_SLACK_MS = 60_000;

const point = z.object({ t: z.number(), v: z.number() });
const facts = z.object({
  label: z.string(),
  points: z.array(point),
  change: z.object({ t: z.number(), before: z.number(), after: z.number() }).optional(),
  anomalies: z.array(point),
  last: point,
  stepMs: z.number(),
  bucketMs: z.number(),
});
/** query_metrics' data, checked rather than trusted: a run recorded before these fields existed has none of them. */
const metricsData: z.ZodType<QueryMetricsData> = facts.extend({ kind: z.literal('series'), others: z.array(facts).optional() });
const metricsInput = z.object({ service: z.string(), metric: z.string() });

/** A value the text showed, and the times a citation of it may give. */
interface Readable {
  v: number;
  from: number;
  to: number;
  /** When it was shown, for the reason when a cited value is wrong. */
  t: number;
}

/** Every value the model could read in one series, with the times it applies to. */
function readableValues(s: SeriesFacts): Readable[] {
  const around = (t: number, v: number, widthMs: number): Readable => {
    const slack = Math.max(widthMs, MIN_TIME_SLACK_MS);
    return { v, t, from: t - slack, to: t + slack };
  };
  const values = [...s.points.map((p) => around(p.t, p.v, s.bucketMs)), ...s.anomalies.map((p) => around(p.t, p.v, s.stepMs)), around(s.last.t, s.last.v, s.stepMs)];
  if (s.change) {
    // "mean 0.11 before → 2.9 after": each mean stands for its side of the shift.
    const slack = Math.max(s.stepMs, MIN_TIME_SLACK_MS);
    const first = s.points[0]?.t ?? s.change.t;
    values.push({ v: s.change.before, t: s.change.t, from: first - slack, to: s.change.t + slack }, { v: s.change.after, t: s.change.t, from: s.change.t - slack, to: s.last.t + slack });
  }
  return values;
}

const close = (cited: number, shown: number) => Math.abs(cited - shown) <= Math.max(VALUE_TOLERANCE * Math.abs(shown), ZERO_TOLERANCE);
const num = (v: number) => String(Number(v.toPrecision(4)));
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

/** A metric value must be one a query_metrics result of this run showed for the same service and metric, at about that time. */
export function checkMetric(item: MetricEvidence, observations: RunObservations, nowMs: number): EvidenceVerification {
  const what = `${item.metric} of ${item.service}`;
  const series: SeriesFacts[] = [];
  let queried = false;
  for (const o of observations.of('query_metrics')) {
    const input = metricsInput.safeParse(o.input);
    if (!input.success || input.data.metric !== item.metric || input.data.service.trim().toLowerCase() !== item.service.trim().toLowerCase()) continue;
    queried = true;
    const data = metricsData.safeParse(o.data);
    if (data.success) series.push(data.data, ...(data.data.others ?? []));
  }
  if (!queried) return { status: 'unverified', reason: `no query_metrics result of this run is for ${what}` };
  if (series.length === 0) return { status: 'unverified', reason: `this run's query_metrics results for ${what} showed no values` };
  const claim = parseClaimedTime(item.time, nowMs);
  if (!claim?.day) return { status: 'unverified', reason: `the time ${quoted(item.time)} is not an ISO 8601 date and time` };

  const readable = series.flatMap(readableValues);
  const atTime = readable.filter((r) => claim.ms >= r.from && claim.ms <= r.to);
  if (atTime.some((r) => close(item.value, r.v))) return { status: 'verified' };
  if (atTime.length === 0) {
    const from = Math.min(...readable.map((r) => r.t));
    const to = Math.max(...readable.map((r) => r.t));
    return { status: 'unverified', reason: `this run's query_metrics results for ${what} show no value near ${iso(claim.ms)} (they cover ${iso(from)} to ${iso(to)})` };
  }
  const nearest = atTime.reduce((a, b) => (Math.abs(b.t - claim.ms) < Math.abs(a.t - claim.ms) ? b : a));
  return { status: 'unverified', reason: `${what} was not ${num(item.value)} at ${iso(claim.ms)} in this run's query_metrics results: they show ${num(nearest.v)} at ${iso(nearest.t)}` };
}

import { z } from 'zod';
import { defineTool } from '../registry';
import type { MetricsSettings } from './settings';
import { readMetricFiles } from './metricFiles';
import { DEFAULT_PROMQL, MAX_PROMETHEUS_POINTS, METRICS, queryRange, renderQuery } from './prometheus';
import { ANOMALIES_SHOWN, MAX_POINTS, formatSeries, summarizeSeries, type ChangePoint, type Point, type SeriesSummary } from './series';

const MAX_RANGE_MINUTES = 1440;
const MAX_SERIES_SHOWN = 5;

const input = z.object({
  service: z.string().min(1).max(128).describe('Service label value, e.g. "payments" or "checkout-api".'),
  metric: z.enum(METRICS).describe('latency_p95 (seconds), error_rate (share of 5xx responses, 0-1), throughput (requests per second) or cpu_pct.'),
  time_range_minutes: z.number().int().min(1).describe('How far back to look, 1-1440 minutes (larger values are clamped to 1440).'),
  step_seconds: z.number().int().min(1).optional().describe('Resolution in seconds (default: about 120 points over the range).'),
  promql: z.string().min(1).max(2000).optional().describe('Expert use: a raw PromQL query instead of the standard one for `metric` (Prometheus only).'),
});

export const queryMetricsTool = (settings: MetricsSettings) =>
  defineTool({
    name: 'query_metrics',
    description:
      "Use this to see how a service's latency, error rate, throughput or CPU moved around the incident: min/max/mean/last, " +
      'the level shift (when and how large), points far outside the baseline, and a downsampled series. ' +
      'Reads Prometheus when one is configured, otherwise metric files in the workspace (metrics/**/*.csv|json|prom|om), ' +
      'where the range ends at the newest sample. Example: {"service": "payments", "metric": "latency_p95", "time_range_minutes": 120}. ' +
      'Compare the time of a level shift with deploys and with the first error in the logs.',
    input,
    risk: 'read-only',
    async run(args, ctx) {
      const notes: string[] = [];
      let minutes = args.time_range_minutes;
      if (minutes > MAX_RANGE_MINUTES) {
        notes.push(`[time_range_minutes ${minutes} clamped to ${MAX_RANGE_MINUTES}]`);
        minutes = MAX_RANGE_MINUTES;
      }
      const label = `${args.metric} of ${args.service}`;
      const prometheus = settings.prometheus;

      if (prometheus) {
        const query = args.promql ?? renderQuery(prometheus.queries?.[args.metric] ?? DEFAULT_PROMQL[args.metric], args.service);
        const end = ctx.now?.() ?? Date.now();
        const start = end - minutes * 60_000;
        let step = args.step_seconds ?? Math.max(15, Math.ceil((minutes * 60) / 120));
        if ((minutes * 60) / step > MAX_PROMETHEUS_POINTS) {
          step = Math.ceil((minutes * 60) / MAX_PROMETHEUS_POINTS);
          notes.push(`[step raised to ${step} s: Prometheus returns at most ${MAX_PROMETHEUS_POINTS.toLocaleString('en-US')} points]`);
        }
        const series = await queryRange(prometheus, query, start, end, step, ctx.signal);
        if (series.length === 0) return { text: [...notes, `Prometheus has no data for ${label} in the last ${minutes} minutes (query: ${query}).`].join('\n') };
        const shown = series.slice(0, MAX_SERIES_SHOWN).map((s) => {
          const labels = Object.entries(s.labels)
            .map(([k, v]) => `${k}="${v}"`)
            .join(',');
          return { label: `${label}${labels ? ` {${labels}}` : ''}`, summary: summarizeSeries(s.points) };
        });
        const blocks = shown.map((s) => (s.summary ? formatSeries(s.label, s.summary) : `${label}: no numeric samples`));
        if (series.length > shown.length) notes.push(`[${series.length - shown.length} more series not shown; aggregate in the PromQL to narrow]`);
        const facts = shown.flatMap((s) => (s.summary ? [seriesFacts(s.label, s.summary, step * 1000)] : []));
        return { text: [`Source: Prometheus, query ${query}, step ${step} s`, ...blocks, ...notes].join('\n'), ...(facts.length ? { data: metricsData(facts) } : {}) };
      }

      if (args.promql) notes.push('[promql ignored: no Prometheus is configured; reading workspace metric files]');
      const found = await readMetricFiles(ctx.workspaceRoots, args.service, args.metric, settings.exclude);
      if (found.points.length === 0) {
        return {
          text: [...notes, ...found.notes, `No ${args.metric} samples for service "${args.service}" in workspace metric files (metrics/**/*.csv|json|prom|om), and no Prometheus is configured.`].join(
            '\n',
          ),
        };
      }
      const newest = Math.max(...found.points.map((p) => p.t));
      const inRange = found.points.filter((p) => p.t >= newest - minutes * 60_000);
      const summary = summarizeSeries(inRange)!;
      return {
        text: [`Source: workspace files ${found.files.join(', ')}; the range ends at the newest sample`, formatSeries(label, summary), ...notes, ...found.notes].join('\n'),
        data: metricsData([seriesFacts(label, summary, medianGapMs(inRange))]),
      };
    },
  });

/**
 * What the text said about one series, in numbers (times in epoch ms), never sent to the model:
 * the panel charts `points`, and the evidence check (src/agent/evidence) accepts a cited value
 * that any of these shows, so it holds exactly what the text printed (the anomalies it listed).
 */
export interface SeriesFacts {
  label: string;
  /** The downsampled series, as printed. */
  points: Point[];
  change?: ChangePoint;
  anomalies: Point[];
  last: Point;
  /** Spacing of the samples: the Prometheus step, or the median gap between a file's samples. */
  stepMs: number;
  /** The time one printed point stands for: the bucket width when the series was downsampled, else the step. */
  bucketMs: number;
}

/** query_metrics' `data`: the first series at the top level, as the panel's chart reads it, and any other series the text showed. */
export type QueryMetricsData = SeriesFacts & { kind: 'series'; others?: SeriesFacts[] };

function seriesFacts(label: string, s: SeriesSummary, stepMs: number): SeriesFacts {
  const downsampled = s.downsampled.length < s.points;
  return {
    label,
    points: s.downsampled,
    ...(s.change ? { change: s.change } : {}),
    anomalies: s.anomalies.slice(0, ANOMALIES_SHOWN),
    last: s.last,
    stepMs,
    bucketMs: downsampled ? (s.last.t - s.downsampled[0]!.t) / MAX_POINTS : stepMs,
  };
}

function metricsData([first, ...others]: SeriesFacts[]): QueryMetricsData {
  return { kind: 'series', ...first!, ...(others.length ? { others } : {}) };
}

/** The usual gap between a file's samples (0 for a single sample). */
function medianGapMs(points: readonly Point[]): number {
  const times = points.map((p) => p.t).sort((a, b) => a - b);
  const gaps = times.slice(1).map((t, i) => t - times[i]!);
  return gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 0;
}

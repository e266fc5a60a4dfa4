import { BrokenCircuitError, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import type { Point } from './series';

/** A query Prometheus understood and refused: the server is fine, so the breaker is not tripped. */
export class PrometheusQueryError extends Error {}

const BREAKER_FAILURES = 3;
const BREAKER_HALF_OPEN_MS = 30_000;
const breakers = new Map<string, CircuitBreakerPolicy>();

/** One breaker per Prometheus: after 3 failures in a row it answers at once for 30 s instead of waiting on timeouts. */
function breakerFor(origin: string): CircuitBreakerPolicy {
  let breaker = breakers.get(origin);
  if (!breaker) {
    breaker = circuitBreaker(
      handleWhen((err) => !(err instanceof PrometheusQueryError)),
      { halfOpenAfter: BREAKER_HALF_OPEN_MS, breaker: new ConsecutiveBreaker(BREAKER_FAILURES) },
    );
    breakers.set(origin, breaker);
  }
  return breaker;
}

export const METRICS = ['latency_p95', 'error_rate', 'throughput', 'cpu_pct'] as const;
export type MetricName = (typeof METRICS)[number];

/**
 * PromQL per metric for the common exporters (Prometheus client libraries' HTTP histograms and
 * counters, process CPU). `{service}` is replaced by the escaped service name; override them
 * with `incidentTriage.prometheus.queries`.
 */
export const DEFAULT_PROMQL: Record<MetricName, string> = {
  latency_p95: 'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{service="{service}"}[5m])))',
  error_rate: 'sum(rate(http_requests_total{service="{service}",status=~"5.."}[5m])) / sum(rate(http_requests_total{service="{service}"}[5m]))',
  throughput: 'sum(rate(http_requests_total{service="{service}"}[5m]))',
  cpu_pct: '100 * sum(rate(process_cpu_seconds_total{service="{service}"}[5m]))',
};

/** A service name as label values are usually spelled; anything else is refused, not escaped into a query. */
export const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/;

export function renderQuery(template: string, service: string): string {
  if (!SERVICE_NAME.test(service)) {
    throw new Error(`"${service}" is not a service name (letters, digits, _ . : / - only). Pass the service label value, e.g. "payments".`);
  }
  // Escaped as a PromQL string literal as well, for a template that quotes it differently.
  return template.replaceAll('{service}', service.replace(/\\/g, '\\\\').replace(/"/g, '\\"'));
}

export interface PrometheusSettings {
  url: string;
  /** Sent as `Authorization: Bearer …`; kept in SecretStorage by the extension, never logged. */
  bearerToken?: string;
  timeoutMs?: number;
  queries?: Partial<Record<MetricName, string>>;
}

export interface RangeSeries {
  labels: Record<string, string>;
  points: Point[];
}

/** Prometheus can return at most 11,000 points per series. */
export const MAX_PROMETHEUS_POINTS = 11_000;

/**
 * `GET /api/v1/query_range`, with Prometheus's own error message passed back when it fails, behind
 * a circuit breaker so that a Prometheus that is down costs a run seconds once, not every call.
 */
export async function queryRange(settings: PrometheusSettings, query: string, startMs: number, endMs: number, stepSeconds: number, signal: AbortSignal): Promise<RangeSeries[]> {
  const origin = new URL(settings.url).origin;
  try {
    return await breakerFor(origin).execute(() => fetchRange(settings, query, startMs, endMs, stepSeconds, signal));
  } catch (err) {
    if (err instanceof BrokenCircuitError) {
      throw new Error(`Prometheus at ${origin} failed ${BREAKER_FAILURES} times in a row; it is not asked again for ${BREAKER_HALF_OPEN_MS / 1000} s. Continue with logs and deploys.`, { cause: err });
    }
    throw err;
  }
}

async function fetchRange(settings: PrometheusSettings, query: string, startMs: number, endMs: number, stepSeconds: number, signal: AbortSignal): Promise<RangeSeries[]> {
  const url = new URL('api/v1/query_range', settings.url.endsWith('/') ? settings.url : `${settings.url}/`);
  url.searchParams.set('query', query);
  url.searchParams.set('start', (startMs / 1000).toFixed(3));
  url.searchParams.set('end', (endMs / 1000).toFixed(3));
  url.searchParams.set('step', String(stepSeconds));
  const timeoutMs = settings.timeoutMs ?? 10_000;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: { accept: 'application/json', ...(settings.bearerToken ? { authorization: `Bearer ${settings.bearerToken}` } : {}) },
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
  } catch (err) {
    if (signal.aborted) throw err;
    const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : (((err as Error).cause as Error | undefined)?.message ?? (err as Error).message);
    throw new Error(`Prometheus at ${url.origin} is unreachable (${reason}). Metrics from it are unavailable; continue with logs and deploys.`, { cause: err });
  }
  const body = (await res.json().catch(() => undefined)) as
    { status: 'success'; data: { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] } } | { status: 'error'; errorType: string; error: string } | undefined;
  if (!body) throw new Error(`Prometheus answered HTTP ${res.status} without a JSON body.`);
  if (body.status === 'error') {
    const message = `Prometheus rejected the query (${body.errorType}): ${body.error}`;
    throw res.status >= 500 ? new Error(message) : new PrometheusQueryError(message);
  }
  if (body.data.resultType !== 'matrix') throw new PrometheusQueryError(`Prometheus returned a ${body.data.resultType}, not a range of values.`);
  return body.data.result.map((r) => ({ labels: r.metric, points: r.values.map(([t, v]) => ({ t: t * 1000, v: Number(v) })) }));
}

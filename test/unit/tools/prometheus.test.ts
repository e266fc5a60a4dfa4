import assert from 'node:assert/strict';
import { queryMetricsTool } from '../../../src/tools/metrics/queryMetrics';
import type { MetricsSettings } from '../../../src/tools/metrics/settings';
import type { ToolContext } from '../../../src/tools/registry';
import { hasPrometheus, incidentOpenMetrics, startPrometheus } from '../../fixtures/prometheus';

type MetricsCtx = ToolContext & { metrics?: MetricsSettings };
/** The tool made with the context's metrics settings, as the composition root makes it. */
const runQueryMetrics = (args: Parameters<ReturnType<typeof queryMetricsTool>['run']>[0], ctx: MetricsCtx) => queryMetricsTool(ctx.metrics ?? {}).run(args, ctx);

describe('query_metrics against a real Prometheus', function () {
  this.timeout(60_000);
  const now = Math.floor(Date.now() / 60_000) * 60_000;
  const stepAt = now - 60 * 60_000;
  let prom: Awaited<ReturnType<typeof startPrometheus>> | undefined;

  before(async function () {
    if (!hasPrometheus()) {
      console.log('    (skipped: prometheus and promtool are not installed; apt-get install prometheus)');
      this.skip();
    }
    prom = await startPrometheus(incidentOpenMetrics(now - 180 * 60_000, now - 60_000, stepAt));
  });
  after(async () => prom?.stop());

  const ctx = (): MetricsCtx => ({ workspaceRoots: [], signal: new AbortController().signal, metrics: { prometheus: { url: prom!.url } } });
  const shiftOf = (text: string) => {
    const m = /Level shift at (\S+): mean (\S+) before → (\S+) after/.exec(text);
    assert.ok(m, text);
    return { at: Date.parse(m[1]!), before: Number(m[2]), after: Number(m[3]) };
  };

  it('finds the latency step, with the default histogram query, at the known time', async () => {
    const { text } = await runQueryMetrics({ service: 'payments', metric: 'latency_p95', time_range_minutes: 170 }, ctx());
    assert.match(text, /^Source: Prometheus, query histogram_quantile\(0\.95/);
    const shift = shiftOf(text);
    assert.ok(Math.abs(shift.at - stepAt) <= 5 * 60_000, `shift at ${new Date(shift.at).toISOString()}, step at ${new Date(stepAt).toISOString()}`);
    assert.ok(shift.before > 0.05 && shift.before < 0.15, `p95 before ${shift.before}`);
    assert.ok(shift.after / shift.before > 6 && shift.after / shift.before < 12, `×${shift.after / shift.before}`);
  });

  it('finds throughput doubling with the default counter query', async () => {
    const shift = shiftOf((await runQueryMetrics({ service: 'payments', metric: 'throughput', time_range_minutes: 170 }, ctx())).text);
    assert.ok(Math.abs(shift.before - 10) < 1 && Math.abs(shift.after - 20) < 2, `${shift.before} → ${shift.after}`);
  });

  it("passes Prometheus's own message back for bad PromQL", async () => {
    await assert.rejects(
      runQueryMetrics({ service: 'payments', metric: 'throughput', time_range_minutes: 30, promql: 'sum(rate(http_requests_total[5m]' }, ctx()),
      /Prometheus rejected the query \(bad_data\): .*parse error/,
    );
  });

  it('says so plainly when a service has no data', async () => {
    const { text } = await runQueryMetrics({ service: 'nobody', metric: 'throughput', time_range_minutes: 30 }, ctx());
    assert.match(text, /Prometheus has no data for throughput of nobody in the last 30 minutes/);
  });

  it('answers fast with a clear error once Prometheus is down', async () => {
    const url = prom!.url;
    await prom!.stop();
    prom = undefined;
    const t0 = Date.now();
    await assert.rejects(
      runQueryMetrics({ service: 'payments', metric: 'throughput', time_range_minutes: 30 }, { workspaceRoots: [], signal: new AbortController().signal, metrics: { prometheus: { url } } }),
      /is unreachable/,
    );
    assert.ok(Date.now() - t0 < 3000);
  });
});

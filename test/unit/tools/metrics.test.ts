import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { queryMetricsTool } from '../../../src/tools/metrics/queryMetrics';
import type { MetricsSettings } from '../../../src/tools/metrics/settings';
import { renderQuery } from '../../../src/tools/metrics/prometheus';
import { summarizeSeries, MAX_POINTS, type Point } from '../../../src/tools/metrics/series';
import type { ToolContext } from '../../../src/tools/registry';
import { freePort, workspaceWithEscape, type EscapingWorkspace } from '../../fixtures/workspace';

type MetricsCtx = ToolContext & { metrics?: MetricsSettings };
/** The tool made with the context's metrics settings, as the composition root makes it. */
const runQueryMetrics = (args: Parameters<ReturnType<typeof queryMetricsTool>['run']>[0], ctx: MetricsCtx) => queryMetricsTool(ctx.metrics ?? {}).run(args, ctx);

const T0 = Date.UTC(2026, 10, 20, 13, 0);
const minute = (i: number) => T0 + i * 60_000;
/** 120 minutes of p95 latency near 0.1 s with deterministic jitter, stepping up 8× at minute 60. */
const stepSeries = (): Point[] => Array.from({ length: 120 }, (_, i) => ({ t: minute(i), v: (i < 60 ? 0.1 : 0.8) * (1 + 0.03 * Math.sin(i * 1.7)) }));

describe('query_metrics', () => {
  describe('series analysis', () => {
    it('finds a level shift at the right time, with its size', () => {
      const s = summarizeSeries(stepSeries())!;
      assert.equal(s.change?.t, minute(60));
      assert.ok(Math.abs(s.change.after / s.change.before - 8) < 0.2);
      assert.equal(s.points, 120);
      assert.ok(s.downsampled.length <= MAX_POINTS);
    });

    it('reports no shift for noise, and flags points far outside the baseline', () => {
      const noisy = Array.from({ length: 100 }, (_, i) => ({ t: minute(i), v: 50 + 2 * Math.sin(i * 2.3) }));
      noisy[70] = { t: minute(70), v: 400 };
      const s = summarizeSeries(noisy)!;
      assert.equal(s.change, undefined);
      assert.deepEqual(s.anomalies, [{ t: minute(70), v: 400 }]);
    });
  });

  describe('from workspace metric files', () => {
    let ws: EscapingWorkspace;
    let root: string;
    const ctx = (): MetricsCtx => ({ workspaceRoots: [root], signal: new AbortController().signal });

    before(async () => {
      const series = stepSeries();
      const files: Record<string, string> = {
        'metrics/app.csv': [
          'timestamp,service,metric,value',
          ...series.map((p) => `${new Date(p.t).toISOString()},payments,latency_p95,${p.v}`),
          `${new Date(minute(5)).toISOString()},search,latency_p95,9`,
        ].join('\n'),
        'metrics/errors.json': JSON.stringify(series.map((p, i) => ({ timestamp: p.t / 1000, service: 'payments', metric: 'error_rate', value: i < 60 ? 0.001 : 0.3 }))),
        'metrics/host.prom': ['# TYPE cpu_pct gauge', ...series.map((p, i) => `cpu_pct{service="payments",host="a"} ${i < 60 ? 20 : 60} ${p.t}`)].join('\n'),
        'metrics/rps.om': ['# TYPE throughput gauge', ...series.map((p, i) => `throughput{service="payments"} ${i < 60 ? 10 : 25} ${p.t / 1000}`), '# EOF'].join('\n'),
        'metrics/broken.csv': 'when,what\n1,2\n',
      };
      ws = await workspaceWithEscape('triage-metrics', files, { link: 'metrics/link.csv', content: 'timestamp,service,metric,value\n2026-11-20T13:00:00Z,payments,throughput,999999\n' });
      root = ws.root;
    });
    after(async () => ws.dispose());

    for (const [metric, file, before, after] of [
      ['latency_p95', 'metrics/app.csv', 0.1, 0.8],
      ['error_rate', 'metrics/errors.json', 0.001, 0.3],
      ['cpu_pct', 'metrics/host.prom', 20, 60],
      ['throughput', 'metrics/rps.om', 10, 25],
    ] as const) {
      it(`reads ${metric} from ${path.extname(file)} and finds the 14:00 shift`, async () => {
        const { text, data } = await runQueryMetrics({ service: 'payments', metric, time_range_minutes: 180 }, ctx());
        assert.match(text, new RegExp(`Source: workspace files ${file.replace('.', '\\.')};`));
        assert.match(text, /Level shift at 2026-11-20T14:00Z/);
        const [, b, a] = /mean (\S+) before → (\S+) after/.exec(text)!;
        assert.ok(Math.abs(Number(b) / before - 1) < 0.02 && Math.abs(Number(a) / after - 1) < 0.02, `${b} → ${a}`);
        assert.equal((data as { kind: string }).kind, 'series');
      });
    }

    it('ends the range at the newest sample, clamps a huge range with a note, and skips an unreadable file', async () => {
      const { text } = await runQueryMetrics({ service: 'payments', metric: 'latency_p95', time_range_minutes: 30 }, ctx());
      assert.match(text, /31 points from 2026-11-20T14:29Z to 2026-11-20T14:59Z/);
      const huge = await runQueryMetrics({ service: 'payments', metric: 'latency_p95', time_range_minutes: 100_000 }, ctx());
      assert.match(huge.text, /\[time_range_minutes 100000 clamped to 1440\]/);
      assert.match(huge.text, /\[skipped metrics\/broken\.csv: the CSV header needs timestamp,service,metric,value\]/);
    });

    it('never reads a metric file linked from outside the workspace', async () => {
      const { text } = await runQueryMetrics({ service: 'payments', metric: 'throughput', time_range_minutes: 1440 }, ctx());
      assert.doesNotMatch(text, /999999/);
    });

    it('says plainly when there is nothing to read', async () => {
      const { text } = await runQueryMetrics({ service: 'nobody', metric: 'latency_p95', time_range_minutes: 60 }, ctx());
      assert.match(text, /No latency_p95 samples for service "nobody" in workspace metric files .* and no Prometheus is configured/);
    });
  });

  describe('PromQL safety', () => {
    for (const hostile of ['payments"}', 'a"} or vector(1) #', 'x\\"', '', '../../etc', 'svc with space']) {
      it(`refuses the service name ${JSON.stringify(hostile)}`, () => {
        assert.throws(() => renderQuery('up{service="{service}"}', hostile), /is not a service name/);
      });
    }
    it('fills a template with a plain name', () => {
      assert.equal(renderQuery('rate(x{service="{service}"}[5m])', 'checkout-api'), 'rate(x{service="checkout-api"}[5m])');
    });
  });

  describe('Prometheus HTTP client', () => {
    let server: http.Server;
    let seen: { url: string; auth?: string }[];
    let reply: (url: URL) => { status: number; body: unknown };
    let url: string;
    beforeEach(async () => {
      seen = [];
      server = http.createServer((req, res) => {
        seen.push({ url: req.url!, auth: req.headers.authorization });
        const r = reply(new URL(req.url!, 'http://x'));
        res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterEach(() => server.close());
    const ctx = (extra: object = {}): MetricsCtx => ({ workspaceRoots: [], signal: new AbortController().signal, now: () => minute(120), metrics: { prometheus: { url, ...extra } } });

    it('sends the bearer token, the rendered query and the range, and summarises the matrix', async () => {
      reply = () => ({
        status: 200,
        body: { status: 'success', data: { resultType: 'matrix', result: [{ metric: { service: 'payments' }, values: stepSeries().map((p) => [p.t / 1000, String(p.v)]) }] } },
      });
      const { text } = await runQueryMetrics({ service: 'payments', metric: 'latency_p95', time_range_minutes: 120 }, ctx({ bearerToken: 'prom-secret' }));
      assert.equal(seen[0]!.auth, 'Bearer prom-secret');
      const q = new URL(seen[0]!.url, 'http://x').searchParams;
      assert.match(q.get('query')!, /histogram_quantile\(0\.95, .*service="payments"/);
      assert.equal(Number(q.get('end')), minute(120) / 1000);
      assert.equal(Number(q.get('start')), minute(0) / 1000);
      assert.equal(q.get('step'), '60');
      assert.match(text, /Level shift at 2026-11-20T14:00Z/);
      assert.doesNotMatch(text, /prom-secret/);
    });

    it("passes Prometheus's own error back", async () => {
      reply = () => ({ status: 400, body: { status: 'error', errorType: 'bad_data', error: 'parse error at char 5: unclosed left parenthesis' } });
      await assert.rejects(
        runQueryMetrics({ service: 'payments', metric: 'throughput', time_range_minutes: 5, promql: 'sum((' }, ctx()),
        /Prometheus rejected the query \(bad_data\): parse error at char 5/,
      );
    });

    it('says Prometheus is unreachable, within the timeout', async () => {
      const closed = await freePort();
      const down: MetricsCtx = { workspaceRoots: [], signal: new AbortController().signal, metrics: { prometheus: { url: `http://127.0.0.1:${closed}` } } };
      await assert.rejects(
        runQueryMetrics({ service: 'payments', metric: 'throughput', time_range_minutes: 5 }, down),
        /Prometheus at http:\/\/127\.0\.0\.1:\d+ is unreachable \(.*\)\. Metrics from it are unavailable/,
      );
      reply = () => ({ status: 200, body: {} });
      const slow = http.createServer(() => undefined);
      await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
      const t0 = Date.now();
      await assert.rejects(
        runQueryMetrics(
          { service: 'payments', metric: 'throughput', time_range_minutes: 5 },
          { workspaceRoots: [], signal: new AbortController().signal, metrics: { prometheus: { url: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`, timeoutMs: 300 } } },
        ),
        /unreachable \(no answer within 0\.3 s\)/,
      );
      assert.ok(Date.now() - t0 < 2000);
      slow.closeAllConnections();
      slow.close();
    });
  });
});

describe('Prometheus circuit breaker', () => {
  it('answers at once after three failures in a row, and a refused query does not trip it', async () => {
    const closed = await freePort();
    const ctx: MetricsCtx = { workspaceRoots: [], signal: new AbortController().signal, metrics: { prometheus: { url: `http://127.0.0.1:${closed}` } } };
    const ask = () => runQueryMetrics({ service: 'payments', metric: 'throughput', time_range_minutes: 5 }, ctx);
    for (let i = 0; i < 3; i++) await assert.rejects(ask(), /is unreachable/);
    await assert.rejects(ask(), /failed 3 times in a row; it is not asked again for 30 s/);

    let calls = 0;
    const picky = http.createServer(
      (_req, res) => (calls++, res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' }))),
    );
    await new Promise<void>((resolve) => picky.listen(0, '127.0.0.1', resolve));
    const pickyCtx: MetricsCtx = { workspaceRoots: [], signal: new AbortController().signal, metrics: { prometheus: { url: `http://127.0.0.1:${(picky.address() as AddressInfo).port}` } } };
    for (let i = 0; i < 5; i++) await assert.rejects(runQueryMetrics({ service: 'payments', metric: 'throughput', time_range_minutes: 5, promql: 'sum(' }, pickyCtx), /rejected the query/);
    assert.equal(calls, 5, 'every refused query reached Prometheus');
    picky.close();
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EvidenceItem, EvidenceVerification } from '../../../src/shared/report';
import type { ToolObservation } from '../../../src/agent/evidence/observations';
import { queryMetricsTool, type QueryMetricsData } from '../../../src/tools/metrics/queryMetrics';
import { writeFiles } from '../../fixtures/workspace';
import { check, NOW, reportWith } from './fixture';

const T0 = Date.UTC(2026, 10, 20, 13, 0);
const minute = (i: number) => T0 + i * 60_000;
const iso = (t: number) => new Date(t).toISOString();

/** The value the text printed after `label` (e.g. "last 0.8123 at …"), as the model reads it. */
const printed = (text: string, re: RegExp) => {
  const m = re.exec(text);
  assert.ok(m, `the text shows ${re}`);
  return m;
};

describe('evidence metrics: a value checked against the query_metrics results of this run', () => {
  let root: string;
  const observed: ToolObservation[] = [];
  let latencyText = '';
  let errorsText = '';

  async function query(service: string, metric: 'latency_p95' | 'error_rate'): Promise<ToolObservation> {
    const input = { service, metric, time_range_minutes: 180 };
    const { text, data } = await queryMetricsTool({}).run(input, { workspaceRoots: [root], signal: new AbortController().signal, now: () => NOW });
    return { name: 'query_metrics', input, text, data };
  }

  async function verify(item: Omit<Extract<EvidenceItem, { kind: 'metric' }>, 'kind' | 'why'>, results = observed): Promise<EvidenceVerification> {
    return (await check(root, reportWith([{ kind: 'metric', why: 'test', ...item }]), results)).report.evidence[0]!.verification;
  }

  before(async () => {
    root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'triage-evidence-metrics-')));
    // 120 minutes of p95 latency stepping from about 0.1 s to 0.8 s at 14:00, and an error rate of 0 with one spike at 13:40.
    const latency = Array.from({ length: 120 }, (_, i) => `${iso(minute(i))},payments,latency_p95,${((i < 60 ? 0.1 : 0.8) * (1 + 0.03 * Math.sin(i * 1.7))).toFixed(5)}`);
    const errors = Array.from({ length: 120 }, (_, i) => `${iso(minute(i))},payments,error_rate,${i === 40 ? 0.5 : 0}`);
    await writeFiles(root, { 'metrics/payments.csv': ['timestamp,service,metric,value', ...latency, ...errors].join('\n') });
    const l = await query('payments', 'latency_p95');
    const e = await query('payments', 'error_rate');
    observed.push(l, e);
    latencyText = l.text;
    errorsText = e.text;
  });
  after(async () => rm(root, { recursive: true, force: true }));

  it("query_metrics' data carries what the text showed: points, the shift, the anomalies it listed, the last value, the step", () => {
    const data = observed[0]!.data as QueryMetricsData;
    assert.equal(data.kind, 'series');
    assert.equal(data.label, 'latency_p95 of payments');
    assert.equal(data.points.length, 60, 'downsampled to 60 bucket means');
    assert.equal(data.change?.t, minute(60));
    assert.equal(data.last.t, minute(119));
    assert.equal(data.stepMs, 60_000);
    assert.equal(data.bucketMs, (119 * 60_000) / 60);
    assert.deepEqual((observed[1]!.data as QueryMetricsData).anomalies, [{ t: minute(40), v: 0.5 }]);
  });

  it('a point of the printed series, at the time the model reads off it', async () => {
    const [, hhmm, value] = printed(latencyText, /Series \(60 points, bucket means\): (?:[^;]+; ){10}(\d\d:\d\d) ([\d.]+);/);
    assert.deepEqual(await verify({ service: 'payments', metric: 'latency_p95', time: `2026-11-20T${hhmm}:00Z`, value: Number(value) }), { status: 'verified' });
  });

  it("the level shift's means, each on its side of the shift", async () => {
    const [, at, before, after] = printed(latencyText, /Level shift at (\S+): mean (\S+) before → (\S+) after/);
    assert.deepEqual(await verify({ service: 'payments', metric: 'latency_p95', time: at!, value: Number(after) }), { status: 'verified' });
    assert.deepEqual(await verify({ service: 'payments', metric: 'latency_p95', time: '2026-11-20T13:30:00Z', value: Number(before) }), { status: 'verified' });
    assert.deepEqual(await verify({ service: 'payments', metric: 'latency_p95', time: '2026-11-20T14:45:00Z', value: Number(after) }), { status: 'verified' });
  });

  it('the last value and a listed anomaly', async () => {
    const [, last, lastAt] = printed(latencyText, /last (\S+) at (\S+)/);
    assert.deepEqual(await verify({ service: 'payments', metric: 'latency_p95', time: lastAt!, value: Number(last) }), { status: 'verified' });
    const [, spikeAt, spike] = printed(errorsText, /outside the baseline: (\S+) (\S+)/);
    assert.deepEqual(await verify({ service: 'payments', metric: 'error_rate', time: spikeAt!, value: Number(spike) }), { status: 'verified' });
  });

  it('a value rounded by a few percent, but not one a fifth off', async () => {
    const [, at, , after] = printed(latencyText, /Level shift at (\S+): mean (\S+) before → (\S+) after/);
    assert.deepEqual(await verify({ service: 'payments', metric: 'latency_p95', time: at!, value: Number(after) * 1.04 }), { status: 'verified' });
    const wrong = await verify({ service: 'payments', metric: 'latency_p95', time: at!, value: Number(after) * 1.2 });
    assert.ok(
      wrong.status === 'unverified' && /^latency_p95 of payments was not [\d.]+ at 2026-11-20T14:00:00Z in this run's query_metrics results: they show [\d.]+ at /.test(wrong.reason),
      JSON.stringify(wrong),
    );
  });

  it('zero as zero: a tiny value where the series is 0 is not it', async () => {
    assert.deepEqual(await verify({ service: 'payments', metric: 'error_rate', time: '2026-11-20T13:20:00Z', value: 0 }), { status: 'verified' });
    assert.equal((await verify({ service: 'payments', metric: 'error_rate', time: '2026-11-20T13:20:00Z', value: 0.001 })).status, 'unverified');
  });

  it('the right value at the wrong time: after-shift latency placed before the shift', async () => {
    const [, , , after] = printed(latencyText, /Level shift at (\S+): mean (\S+) before → (\S+) after/);
    assert.equal((await verify({ service: 'payments', metric: 'latency_p95', time: '2026-11-20T13:30:00Z', value: Number(after) })).status, 'unverified');
  });

  it('a time the results do not cover', async () => {
    const v = await verify({ service: 'payments', metric: 'latency_p95', time: '2026-11-20T18:00:00Z', value: 0.8 });
    assert.ok(v.status === 'unverified' && /show no value near 2026-11-20T18:00:00Z \(they cover 2026-11-20T13:00:00Z to 2026-11-20T14:59:00Z\)/.test(v.reason), JSON.stringify(v));
  });

  it('a service or metric nobody queried, or no query at all', async () => {
    assert.deepEqual(await verify({ service: 'checkout-api', metric: 'latency_p95', time: '2026-11-20T14:00:00Z', value: 0.8 }), {
      status: 'unverified',
      reason: 'no query_metrics result of this run is for latency_p95 of checkout-api',
    });
    assert.equal((await verify({ service: 'payments', metric: 'cpu_pct', time: '2026-11-20T14:00:00Z', value: 0.8 })).status, 'unverified');
    assert.equal((await verify({ service: 'payments', metric: 'latency_p95', time: '2026-11-20T14:00:00Z', value: 0.8 }, [])).status, 'unverified');
  });

  it('a time that is not a time', async () => {
    const v = await verify({ service: 'payments', metric: 'latency_p95', time: 'just after the deploy', value: 0.8 });
    assert.deepEqual(v, { status: 'unverified', reason: 'the time "just after the deploy" is not an ISO 8601 date and time' });
  });
});

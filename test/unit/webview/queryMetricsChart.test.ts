import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { queryMetricsTool, type QueryMetricsData } from '../../../src/tools/metrics/queryMetrics';
import { seriesChartData } from '../../../src/webview/ui/metricChart';
import { writeFiles } from '../../fixtures/workspace';

/** query_metrics' data grew fields for the evidence check; the panel's chart must still read it, level shift included. */
describe("query_metrics' data in the panel's chart", () => {
  let root: string;
  before(async () => {
    root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'triage-chart-data-')));
    const t0 = Date.UTC(2026, 10, 20, 13, 0);
    const rows = Array.from({ length: 90 }, (_, i) => `${new Date(t0 + i * 60_000).toISOString()},payments,latency_p95,${i < 45 ? 0.1 + (i % 3) * 0.002 : 0.9 + (i % 3) * 0.01}`);
    await writeFiles(root, { 'metrics/payments.csv': ['timestamp,service,metric,value', ...rows].join('\n') });
  });
  after(async () => rm(root, { recursive: true, force: true }));

  it('parses as a chart series, with the points and the level shift the tool found', async () => {
    const { data } = await queryMetricsTool({}).run({ service: 'payments', metric: 'latency_p95', time_range_minutes: 120 }, { workspaceRoots: [root], signal: new AbortController().signal });
    const facts = data as QueryMetricsData;
    const parsed = seriesChartData.safeParse(data);
    assert.ok(parsed.success, JSON.stringify(parsed.error));
    assert.deepEqual(parsed.data.points, facts.points);
    assert.ok(facts.change, 'the series has a level shift');
    assert.deepEqual(parsed.data.change, facts.change);
  });
});

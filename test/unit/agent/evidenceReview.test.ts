import assert from 'node:assert/strict';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { eventsOfType, finished, startHarness, type Harness } from '../../fixtures/harness';
import { scriptedTurns, type ScriptedTurn } from '../../fixtures/anthropic-server/scenario';
import { sampleReport } from '../../fixtures/reports';
import { checkoutIncidentScenario } from '../../fixtures/scenarios/checkoutIncident';
import type { EvidenceItem, TriageReport } from '../../../src/shared/report';

// The engine checks a report's evidence before anyone sees it: these runs go through the whole loop
// against the fake Messages API, with the real tools on a temporary workspace.

const LOG = ['2026-11-20T14:00:00Z INFO payments started', '2026-11-20T14:05:00Z ERROR pool exhausted', '2026-11-20T14:06:00Z ERROR pool exhausted'].join('\n');
const NOW = new Date('2026-11-20T14:30:00Z');
/** Latency at 0.1 s for twenty minutes, then 3 s: a level shift at 14:10. */
const METRICS = [
  'timestamp,service,metric,value',
  ...Array.from({ length: 30 }, (_, i) => `${new Date(Date.parse('2026-11-20T13:50:00Z') + i * 60_000).toISOString()},payments,latency_p95,${i < 20 ? 0.1 : 3}`),
].join('\n');
const DEPLOYS = JSON.stringify([{ service: 'payments', version: '2.14.0', time: '2026-11-20T14:02:05Z', author: 'dana.kim', description: 'Read DB pool size from PAYMENTS_DB_POOL' }]);
const FILES = { 'logs/app.log': LOG, 'metrics/payments.csv': METRICS, 'deploys.json': DEPLOYS };

const readLog: ScriptedTurn = { content: [{ type: 'tool_use', name: 'read_log', input: { file: 'logs/app.log', start_line: 1, end_line: 3 } }] };
const submit = (report: TriageReport): ScriptedTurn => ({ content: [{ type: 'tool_use', name: 'submit_triage_report', input: report }] });
const line = (file: string, n: number, excerpt: string): EvidenceItem => ({ kind: 'log', file, line: n, excerpt, why: 'test' });

type Block = { type: string; is_error?: boolean; content?: unknown; tool_use_id?: string };
/** The tool_result blocks the model received for its report calls, in order. */
function reportResults(h: Harness): Block[] {
  const last = h.server.messageRequests.at(-1)!;
  const messages = last.messages as { role: string; content: Block[] | string }[];
  const reportIds = new Set(
    messages
      .flatMap((m) => (m.role === 'assistant' && Array.isArray(m.content) ? m.content.filter((b) => b.type === 'tool_use' && (b as { name?: string }).name === 'submit_triage_report') : []))
      .map((b) => (b as { id?: string }).id),
  );
  return messages.flatMap((m) => (m.role === 'user' && Array.isArray(m.content) ? m.content.filter((b) => b.type === 'tool_result' && reportIds.has(b.tool_use_id)) : []));
}

describe('evidence review in the agent loop', () => {
  let h: Harness;
  afterEach(async () => h?.dispose());

  it('sends a report with failing items back once, listing exactly those; the corrected report is shown with each status', async () => {
    const bad = sampleReport({
      evidence: [
        line('logs/app.log', 2, 'ERROR pool exhausted'), // verified
        line('logs/app.log', 1, 'ERROR pool exhausted'), // at line 2, the nearest
        line('logs/missing.log', 5, 'ERROR pool exhausted'),
        line('../outside.log', 1, 'ERROR pool exhausted'),
        line('logs/app.log', 2, 'ERROR disk full'),
      ],
      hypotheses: [{ statement: 'Pool exhaustion', status: 'supported', evidence: [1, 2] }],
    });
    const corrected = sampleReport({ evidence: bad.evidence.slice(0, 2), hypotheses: [{ statement: 'Pool exhaustion', status: 'supported', evidence: [1, 2] }] });
    h = await startHarness({ files: FILES, scenario: scriptedTurns([readLog, submit(bad), submit(corrected)]) });
    const { events, run } = await h.run({ description: 'Checkout returns 502' }, { now: () => NOW });

    const results = reportResults(h);
    assert.equal(results.length, 1, 'one rejection went back to the model');
    assert.equal(results[0]!.is_error, true);
    const listing = String(results[0]!.content);
    const items = listing.split('\n').filter((l) => l.startsWith('- '));
    assert.equal(items.length, 3, listing);
    assert.match(items.join('\n'), /logs\/missing\.log/);
    assert.match(items.join('\n'), /outside/);
    assert.match(items.join('\n'), /not in/);
    assert.doesNotMatch(listing, /INFO payments started/, 'the listing never quotes the file');

    const failed = eventsOfType(events, 'tool_result').filter((e) => e.name === 'submit_triage_report');
    assert.deepEqual(
      failed.map((e) => e.ok),
      [false, true],
      'the panel sees the rejected call as a failed card',
    );
    const [shown] = eventsOfType(events, 'report');
    assert.ok(shown);
    assert.equal(eventsOfType(events, 'report').length, 1, 'only the accepted report is shown');
    assert.deepEqual(
      shown.report.evidence.map((e) => e.verification),
      [{ status: 'verified' }, { status: 'moved', line: 2 }],
    );
    assert.deepEqual(shown.report.verification, { verified: 1, moved: 1, unverified: 0, timelineDisagreements: 0, resubmitted: true });
    assert.equal(shown.report.confidence, corrected.confidence, 'nothing failed: the confidence is the model’s');
    assert.equal(run.report, shown.report);
    const end = finished(events);
    assert.equal(end.reason, 'report');
    assert.equal(end.steps, 3, 'the resubmission is a step of its own');
    assert.equal(eventsOfType(events, 'usage').length, 3, 'and is priced like one');
    assert.match(end.message, /1 of 2 evidence items verified · 1 moved/);
  });

  it('shows a report that fails again as it is: failing items flagged, confidence capped, no third attempt', async () => {
    const bad = sampleReport({ confidence: 0.9, evidence: [line('logs/app.log', 2, 'ERROR pool exhausted'), line('logs/app.log', 3, 'ERROR disk full')] });
    h = await startHarness({ files: FILES, scenario: scriptedTurns([submit(bad), submit(bad), submit(bad)]) });
    const { events } = await h.run({ description: 'Checkout returns 502' }, { now: () => NOW });

    assert.equal(reportResults(h).length, 1);
    const [shown] = eventsOfType(events, 'report');
    assert.ok(shown);
    assert.deepEqual(shown.report.evidence[0]!.verification, { status: 'verified' });
    const second = shown.report.evidence[1]!.verification;
    assert.equal(second.status, 'unverified');
    assert.match(second.status === 'unverified' ? second.reason : '', /not in/);
    assert.equal(shown.report.verification.unverified, 1);
    assert.equal(shown.report.verification.resubmitted, true);
    assert.equal(shown.report.verification.confidenceCappedFrom, 0.9);
    assert.ok(shown.report.confidence < 0.9 && shown.report.confidence <= 0.5, `capped: ${shown.report.confidence}`);
    assert.equal(finished(events).reason, 'report');
    assert.equal(finished(events).steps, 2);
  });

  it('accepts an inconclusive report at once: what was checked, what is missing', async () => {
    const inconclusive = sampleReport({
      conclusion: 'inconclusive',
      confidence: 0.2,
      suspected_root_cause: 'Unknown: the logs end before the failures start.',
      evidence: [],
      hypotheses: [{ statement: 'A bad deploy', status: 'open', evidence: [] }],
      checked: ['logs/app.log from 14:00 to 14:06'],
      missing: ['The database logs for 14:05-14:30'],
    });
    h = await startHarness({ files: FILES, scenario: scriptedTurns([readLog, submit(inconclusive)]) });
    const { events } = await h.run({ description: 'Checkout returns 502' }, { now: () => NOW });
    assert.deepEqual(
      eventsOfType(events, 'tool_result')
        .filter((e) => e.name === 'submit_triage_report')
        .map((e) => e.ok),
      [true],
      'accepted at the first call',
    );
    const [shown] = eventsOfType(events, 'report');
    assert.equal(shown?.report.conclusion, 'inconclusive');
    assert.deepEqual(shown?.report.missing, ['The database logs for 14:05-14:30']);
    assert.deepEqual(shown?.report.verification, { verified: 0, moved: 0, unverified: 0, timelineDisagreements: 0, resubmitted: false });
    assert.equal(shown?.report.confidence, 0.2);
  });

  it('checks metric values and deploys against what this run’s tools returned, not against tools run in the same step', async () => {
    const metric = (value: number): EvidenceItem => ({ kind: 'metric', service: 'payments', metric: 'latency_p95', time: '2026-11-20T14:15:00Z', value, why: 'after the shift' });
    const deploy: EvidenceItem = { kind: 'deploy', ref: '2.14.0', why: 'the change before it' };
    const cited = sampleReport({ evidence: [metric(3), deploy] });
    const queries: ScriptedTurn = {
      content: [
        { type: 'tool_use', name: 'query_metrics', input: { service: 'payments', metric: 'latency_p95', time_range_minutes: 60 } },
        { type: 'tool_use', name: 'get_recent_deploys', input: { service: 'payments', since_minutes: 120 } },
      ],
    };
    // Cited in the same step as the queries: the model cannot have seen their results yet.
    const early: ScriptedTurn = { content: [...queries.content, ...submit(cited).content] };
    h = await startHarness({ files: FILES, scenario: scriptedTurns([early, submit(sampleReport({ evidence: [metric(3), metric(9.9), deploy, { kind: 'commit', ref: 'deadbee', why: 'x' }] }))]) });
    const { events } = await h.run({ description: 'Payments is slow' }, { now: () => NOW });

    const rejection = String(reportResults(h)[0]!.content);
    assert.equal(rejection.split('\n').filter((l) => l.startsWith('- ')).length, 2, rejection);
    const [shown] = eventsOfType(events, 'report');
    assert.ok(shown);
    assert.deepEqual(
      shown.report.evidence.map((e) => e.verification.status),
      ['verified', 'unverified', 'verified', 'unverified'],
      JSON.stringify(shown.report.evidence),
    );
  });

  it('the recorded demo report verifies 8 of 8 against the sample workspace', async () => {
    h = await startHarness({ scenario: checkoutIncidentScenario });
    const { events } = await h.run(
      { description: 'Checkout is failing' },
      { workspaceRoots: [path.resolve(__dirname, '../../../samples/checkout-incident')], now: () => new Date('2026-11-20T14:25:00Z') },
    );
    const [shown] = eventsOfType(events, 'report');
    assert.ok(shown, JSON.stringify(finished(events)));
    assert.deepEqual(shown.report.verification, { verified: 8, moved: 0, unverified: 0, timelineDisagreements: 0, resubmitted: false }, JSON.stringify(shown.report.evidence));
    assert.ok(shown.report.timeline.filter((t) => t.evidence !== undefined).every((t) => t.check?.status === 'agrees'));
  });
});

describe('evidence review: a submitted report is never lost', () => {
  let h: Harness;
  afterEach(async () => h?.dispose());
  const bad = () => sampleReport({ evidence: [line('logs/app.log', 2, 'ERROR disk full on /var')] });
  const silent: ScriptedTurn = { content: [{ type: 'text', text: 'Still thinking.' }], stopReason: 'end_turn' };

  it('a report sent back at the step cap, never corrected, is shown flagged when the run stops', async () => {
    h = await startHarness({ files: FILES, scenario: scriptedTurns([submit(bad()), silent, silent]) });
    const { events } = await h.run({ description: 'x', maxSteps: 1 }, { now: () => NOW });
    const end = finished(events);
    assert.equal(end.reason, 'max_steps');
    assert.match(end.message, /shown as it was, flagged/);
    const [shown] = eventsOfType(events, 'report');
    assert.ok(shown, 'the report is not lost');
    assert.equal(shown.report.verification.unverified, 1);
    assert.equal(shown.report.verification.resubmitted, true);
    assert.ok(shown.report.verification.confidenceCappedFrom !== undefined);
  });

  it('a failing report that comes after the last report request is shown flagged at once, not sent back', async () => {
    h = await startHarness({ files: FILES, scenario: scriptedTurns([silent, silent, submit(bad())]) });
    const { events } = await h.run({ description: 'x' }, { now: () => NOW });
    assert.equal(reportResults(h).length, 0, 'no rejection the model could not answer');
    const [shown] = eventsOfType(events, 'report');
    assert.equal(shown?.report.verification.unverified, 1);
    assert.equal(shown?.report.verification.resubmitted, false);
    assert.equal(finished(events).reason, 'report');
  });

  it('takes one report per turn: a second call in the same turn is refused, not judged as a resubmission', async () => {
    const twice: ScriptedTurn = { content: [...submit(bad()).content, ...submit(sampleReport()).content] };
    h = await startHarness({ files: FILES, scenario: scriptedTurns([twice, submit(sampleReport())]) });
    const { events } = await h.run({ description: 'x' }, { now: () => NOW });
    const calls = eventsOfType(events, 'tool_result').filter((e) => e.name === 'submit_triage_report');
    assert.deepEqual(
      calls.map((c) => c.ok),
      [false, false, true],
    );
    assert.match(calls.find((c) => /Only one/.test(c.preview))?.preview ?? '', /Only one submit_triage_report call is taken per turn/);
    const [shown] = eventsOfType(events, 'report');
    assert.equal(shown?.report.verification.resubmitted, true, 'the accepted report is the correction of the first');
  });

  it('a damaged .gz rotation is passed over with a reason; it does not fail the report', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `2026-11-20T13:00:00Z INFO request ${i * 7919} served`).join('\n');
    const gz = gzipSync(Buffer.from(lines));
    h = await startHarness({ files: { ...FILES, 'logs/app.log.1.gz': gz.subarray(0, gz.length / 2) }, scenario: scriptedTurns([submit(bad()), submit(bad())]) });
    const { events } = await h.run({ description: 'x' }, { now: () => NOW });
    const [shown] = eventsOfType(events, 'report');
    assert.ok(shown, JSON.stringify(finished(events)));
    const check = shown.report.evidence[0]!.verification;
    assert.equal(check.status, 'unverified');
    assert.match(check.status === 'unverified' ? check.reason : '', /could not read "logs\/app\.log\.1\.gz" to its end \(damaged or unreadable\)/);
  });
});

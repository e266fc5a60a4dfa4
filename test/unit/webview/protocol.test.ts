import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import type { TriageEventType } from '../../../src/shared/events';
import { costViewToHost, hostToCostView } from '../../../src/webview/costProtocol';
import { checkEvent, eventSchemas } from '../../../src/shared/eventSchemas';
import { panelToHost } from '../../../src/webview/protocol';
import { readHostToPanel } from '../../../src/webview/readHostToPanel';
import { inconclusiveReport, mixedReport } from '../../fixtures/reports';
import { anyValueFields, everyEvent, optionalFields } from './everyEvent';

const types = Object.keys(everyEvent) as TriageEventType[];
const without = (o: object, key: string) => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key));

describe('webview message protocols', () => {
  describe('engine events, one by one', () => {
    it('has a schema for exactly the event types there are', () => {
      assert.deepEqual(Object.keys(eventSchemas).sort(), [...types].sort());
    });

    it('accepts a complete event of every type, unchanged', () => {
      for (const type of types) {
        const checked = checkEvent(everyEvent[type]);
        assert.ok(checked.ok, `${type}: ${checked.ok ? '' : checked.problem}`);
        assert.deepEqual(checked.event, everyEvent[type]);
      }
    });

    it('accepts every event without each of its optional fields', () => {
      for (const type of types) {
        for (const field of optionalFields[type]) assert.ok(checkEvent(without(everyEvent[type], field)).ok, `${type} without ${field}`);
      }
    });

    it("accepts the panel tests' reports, every kind and status of evidence among them, unchanged", () => {
      for (const report of [mixedReport(), inconclusiveReport()]) {
        const event = { type: 'report', step: 3, report };
        const checked = checkEvent(event);
        assert.ok(checked.ok, checked.ok ? '' : checked.problem);
        assert.deepEqual(checked.event, event);
      }
    });

    it('rejects every event missing any required field', () => {
      let cases = 0;
      for (const type of types) {
        const optional: readonly string[] = optionalFields[type];
        for (const field of Object.keys(everyEvent[type]).filter((f) => f !== 'type' && !optional.includes(f))) {
          const checked = checkEvent(without(everyEvent[type], field));
          assert.equal(checked.ok, false, `${type} without ${field}`);
          cases++;
        }
      }
      assert.ok(cases > 50, `only ${cases} required fields tried`);
    });

    it('rejects every field of the wrong type, except the two that may hold anything', () => {
      for (const type of types) {
        const free: readonly string[] = anyValueFields[type] ?? [];
        for (const field of Object.keys(everyEvent[type]).filter((f) => f !== 'type')) {
          const checked = checkEvent({ ...everyEvent[type], [field]: { injected: '<img src=x onerror=alert(1)>' } });
          assert.equal(checked.ok, free.includes(field), `${type}.${field} holding an object`);
        }
      }
    });

    it('rejects values the types do not name: non-finite numbers, strays from an enum, a bad report', () => {
      const bad = [
        { ...everyEvent.usage, costUsd: Number.NaN },
        { ...everyEvent.tool_result, durationMs: Number.POSITIVE_INFINITY },
        { ...everyEvent.run_started, thinking: 'maximal' },
        { ...everyEvent.run_finished, reason: 'crashed' },
        { ...everyEvent.report, report: { ...everyEvent.report.report, severity: 'SEV0' } },
        { ...everyEvent.report, report: { ...everyEvent.report.report, evidence: [{ file: 'a.log', line: 0, excerpt: 'x', why: 'y' }] } },
        { ...everyEvent.report, report: { ...everyEvent.report.report, next_steps: 'reboot' } },
        { ...everyEvent.usage, usage: { ...everyEvent.usage.usage, outputTokens: '20' } },
      ];
      for (const event of bad) assert.equal(checkEvent(event).ok, false, JSON.stringify(event));
    });

    it('says why an event was rejected, and never throws on junk', () => {
      for (const junk of [null, undefined, 42, 'text_delta', [], { type: 7 }, { type: '__proto__' }, { type: 'constructor' }, { type: 'exfiltrate', step: 1 }]) {
        const checked = checkEvent(junk);
        assert.equal(checked.ok, false, inspect(junk));
        assert.ok(!checked.ok && checked.problem.length > 0);
      }
      const missing = checkEvent(without(everyEvent.text_delta, 'text'));
      assert.ok(!missing.ok && missing.type === 'text_delta' && /text/.test(missing.problem), JSON.stringify(missing));
    });

    it('drops fields it does not know instead of passing them on', () => {
      const checked = checkEvent({ ...everyEvent.text_delta, html: '<script>' });
      assert.ok(checked.ok);
      assert.equal('html' in checked.event, false);
    });
  });

  describe('host → panel', () => {
    it('keeps the good events of a batch and reports the bad ones by position', () => {
      const read = readHostToPanel({
        type: 'events',
        events: [everyEvent.step_started, { type: 'exfiltrate' }, without(everyEvent.text_delta, 'text'), everyEvent.text_delta, 'junk'],
      });
      assert.ok(read && read.message.type === 'events');
      assert.deepEqual(read.message.events, [everyEvent.step_started, everyEvent.text_delta]);
      assert.deepEqual(
        read.rejected.map((r) => [r.index, r.type]),
        [
          [1, 'exfiltrate'],
          [2, 'text_delta'],
          [4, '?'],
        ],
      );
    });

    it('checks the events of init the same way, and keeps its other fields', () => {
      const read = readHostToPanel({ type: 'init', events: [everyEvent.run_started, { ...everyEvent.usage, usage: null }], busy: true, readOnly: false, logFile: 'logs/app.log' });
      assert.deepEqual(read?.message, { type: 'init', events: [everyEvent.run_started], busy: true, readOnly: false, logFile: 'logs/app.log' });
      assert.deepEqual(
        read?.rejected.map((r) => r.type),
        ['usage'],
      );
    });

    it('passes every event type through a batch', () => {
      const read = readHostToPanel({ type: 'events', events: Object.values(everyEvent) });
      assert.equal(read?.message.type === 'events' && read.message.events.length, types.length);
      assert.deepEqual(read?.rejected, []);
    });

    it('drops a message whose envelope is not ours', () => {
      for (const m of [
        { type: 'init', events: [], busy: 'no', readOnly: false },
        { type: 'events', events: 'all' },
        { type: 'busy' },
        { type: 'navigate', url: 'https://evil.example' },
        null,
        'events',
      ]) {
        assert.equal(readHostToPanel(m), undefined, JSON.stringify(m));
      }
      assert.deepEqual(readHostToPanel({ type: 'busy', busy: false }), { message: { type: 'busy', busy: false }, rejected: [] });
    });
  });

  describe('panel → host', () => {
    it('accepts every well-formed message, trimmed', () => {
      for (const m of [
        { type: 'ready' },
        { type: 'start', description: 'checkout is down\nsince 14:05,\tpayments too' },
        { type: 'followUp', question: 'roll back?' },
        { type: 'cancel' },
        { type: 'openEvidence', file: 'logs/payments/payments.log.1', line: 12 },
        { type: 'exportReport' },
      ]) {
        assert.ok(panelToHost.safeParse(m).success, JSON.stringify(m));
      }
      assert.deepEqual(panelToHost.parse({ type: 'start', description: '  checkout is down  ' }), { type: 'start', description: 'checkout is down' });
    });

    it('rejects unknown, malformed, hostile and oversized messages', () => {
      for (const m of [
        { type: 'runCommand', command: 'workbench.action.terminal.new' },
        { type: 'openEvidence', file: 'logs/app.log', line: 0 },
        { type: 'openEvidence', file: 'logs/app.log', line: 1.5 },
        { type: 'openEvidence', file: 'logs/app.log', line: 2 ** 53 },
        { type: 'openEvidence', file: 'logs/app.log', line: '12' },
        { type: 'openEvidence', file: 'logs/app.log' },
        { type: 'openEvidence', file: 'logs/app.log\u0000.png', line: 1 },
        { type: 'openEvidence', file: 'logs/app.log\nWARNING: key leaked', line: 1 },
        { type: 'openEvidence', file: 'logs/\u202egol.exe', line: 1 },
        { type: 'openEvidence', file: 'x'.repeat(1001), line: 1 },
        { type: 'openEvidence', file: { toString: 'logs/app.log' }, line: 1 },
        { type: 'start', description: '   ' },
        { type: 'start', description: 'x'.repeat(20_001) },
        { type: 'start', description: 'checkout \u001b[2J\u001b[31mis down' },
        { type: 'followUp', question: 'why?\u0000' },
        { type: 'start' },
        'start',
        null,
      ]) {
        assert.equal(panelToHost.safeParse(m).success, false, JSON.stringify(m));
      }
    });

    it('strips fields a message does not have', () => {
      assert.deepEqual(panelToHost.parse({ type: 'cancel', command: 'workbench.action.terminal.new' }), { type: 'cancel' });
    });
  });

  describe('the Cost view', () => {
    const summary = {
      calls: 1,
      inputTokens: 10,
      cacheWriteTokens: 5,
      cacheReadTokens: 100,
      outputTokens: 20,
      costUsd: 0.01,
      unpricedCalls: 0,
      savedUsd: 0.002,
      cacheHitRate: 0.87,
      ttftMs: { p50: 300, p95: null },
      totalMs: { p50: 900, p95: 900 },
    };
    const record = {
      time: '2026-11-20T14:20:00.000Z',
      runId: 'r-1',
      step: 1,
      model: 'claude-sonnet-5-5',
      pricedAs: null,
      inputTokens: 10,
      cacheWrite5mTokens: 5,
      cacheWrite1hTokens: 0,
      cacheReadTokens: 100,
      outputTokens: 20,
      costUsd: null,
      uncachedCostUsd: null,
      ttftMs: 300,
      totalMs: 900,
      outputTokensPerSecond: 22.2,
      cacheHitShare: 0.87,
    };
    const data = { type: 'data', records: [record], totals: { run: summary, session: summary, all: summary } };

    it('accepts what the host sends, records and totals checked field by field', () => {
      assert.deepEqual(hostToCostView.parse(data), data);
      assert.equal(hostToCostView.safeParse({ ...data, records: [without(record, 'cacheHitShare')] }).success, false);
      assert.equal(hostToCostView.safeParse({ ...data, records: [{ ...record, costUsd: '0.01' }] }).success, false);
      assert.equal(hostToCostView.safeParse({ ...data, totals: { ...data.totals, all: { ...summary, ttftMs: null } } }).success, false);
      assert.equal(hostToCostView.safeParse({ ...data, totals: { run: summary, session: summary } }).success, false);
    });

    it('accepts only its own requests from the view', () => {
      for (const m of [{ type: 'ready' }, { type: 'reset' }, { type: 'exportCsv' }]) assert.ok(costViewToHost.safeParse(m).success);
      assert.equal(costViewToHost.safeParse({ type: 'deleteEverything' }).success, false);
    });
  });
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import Anthropic from '@anthropic-ai/sdk';
import { eventsOfType, finished, startHarness, TEST_API_KEY, type Harness } from '../../fixtures/harness';
import { scriptedTurns, type ScriptedTurn } from '../../fixtures/anthropic-server/scenario';
import type { Fault } from '../../fixtures/anthropic-server/server';
import { sampleReport } from '../../fixtures/reports';
import { EventLog, readRunLog } from '../../../src/ledger/eventLog';
import { createToolRegistry } from '../../../src/engine/toolRegistry';
import { defineTool } from '../../../src/tools/registry';
import { serverAdvisedDelayMs } from '../../../src/agent/retryPolicy';
import type { TriageEvent } from '../../../src/shared/events';
import { writeProofTally } from '../../fixtures/proof';
import { messagesOf } from '../../../src/agent/conversation';

const LOG = '2026-11-20T14:05:00Z ERROR pool exhausted\n';
const look = (text: string): ScriptedTurn => ({
  content: [
    { type: 'text', text },
    { type: 'tool_use', name: 'counted_probe', input: {} },
  ],
});
const report: ScriptedTurn = { content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] };

describe('fault suite: API failures are retried within limits, or explained', () => {
  let h: Harness;
  let probeRuns = 0;
  const probe = defineTool({ name: 'counted_probe', description: 'test', input: z.object({}), risk: 'read-only', run: async () => ({ text: `probe run ${++probeRuns}` }) });
  const tools = () => createToolRegistry({}, [probe]);
  let unhandled = 0;
  const count = () => unhandled++;
  const tally = { tried: 0, handled: 0, unhandledRejections: 0 };
  before(() => process.on('unhandledRejection', count));
  afterEach(function () {
    tally.tried++;
    if (this.currentTest?.state === 'passed') tally.handled++;
  });
  after(() => {
    process.off('unhandledRejection', count);
    writeProofTally('fault', { ...tally, unhandledRejections: unhandled });
    assert.equal(unhandled, 0, 'no unhandled rejection anywhere in the fault suite');
  });
  beforeEach(() => (probeRuns = 0));
  afterEach(async () => h?.dispose());

  /** Runs through the harness with a run ledger, and checks the ledger holds every completed step. */
  async function runLogged(request: Parameters<Harness['run']>[0], deps: Parameters<Harness['run']>[1] = {}) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'triage-fault-run-'));
    try {
      const { runTriage } = await import('../../../src/agent/runTriage');
      const run = runTriage(request, { client: h.client, tools: createToolRegistry(), workspaceRoots: [h.workspace], retryInitialDelayMs: 10, ...deps });
      const ledger = new EventLog(dir, run.runId);
      const events: TriageEvent[] = [];
      for await (const e of run) {
        ledger.append(e);
        events.push(e);
      }
      const logged = readRunLog(ledger.path).events;
      for (const type of ['usage', 'tool_result', 'report', 'run_finished'] as const) {
        assert.equal(logged.filter((e) => e.type === type).length, events.filter((e) => e.type === type).length, `every ${type} event is in the ledger`);
      }
      return { events, run };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const recoverable: [string, Fault][] = [
    ['HTTP 500', { kind: 'http', status: 500, type: 'api_error' }],
    ['HTTP 529 once', { kind: 'http', status: 529, type: 'overloaded_error' }],
    ['an overloaded_error event mid-stream', { kind: 'stream_error', afterEvents: 6 }],
    ['a connection reset mid-stream', { kind: 'drop', afterEvents: 6 }],
    ['a clean end before message_stop', { kind: 'eof', afterEvents: 6 }],
  ];
  for (const [name, fault] of recoverable) {
    it(`recovers from ${name} by sending the step again, and runs no tool twice`, async () => {
      h = await startHarness({ files: { 'app.log': LOG }, scenario: scriptedTurns([look('First look.'), look('A second look that streams for a while before it ends.'), report]) });
      h.server.injectFaultAt(2, fault);
      const { events, run } = await runLogged({ description: 'x' }, { tools: tools() });
      assert.equal(finished(events).reason, 'report', JSON.stringify(eventsOfType(events, 'error')));
      const retries = eventsOfType(events, 'retrying');
      assert.equal(retries.length, 1);
      assert.equal(retries[0]!.step, 2);
      assert.ok(
        eventsOfType(events, 'step_started').some((s) => s.step === 2 && s.attempt === 2),
        'the retried step is announced, so a UI discards the partial one',
      );
      assert.equal(probeRuns, 2, 'one run of the probe per completed step');
      assert.equal(h.server.messageRequests.length, 4, 'step 1, step 2 twice, the report');
      // The transcript holds each completed step once, and the server accepted it.
      assert.deepEqual(
        messagesOf(run.conversation).map((m) => m.role),
        ['user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user'],
      );
    });
  }

  it('honours retry-after on a 429 before sending again', async () => {
    h = await startHarness({ files: { 'app.log': LOG }, scenario: scriptedTurns([report]) });
    h.server.injectFaultAt(1, { kind: 'http', status: 429, type: 'rate_limit_error', retryAfterSeconds: 1 });
    const t0 = Date.now();
    const { events } = await runLogged({ description: 'x' });
    assert.equal(finished(events).reason, 'report');
    const retry = eventsOfType(events, 'retrying')[0]!;
    assert.equal(retry.delayMs, 1000);
    assert.match(retry.reason, /Rate limited by the API \(429\)/);
    assert.ok(Date.now() - t0 >= 950);
  });

  it('hands over instead of waiting past its budget in total', async () => {
    h = await startHarness({ scenario: scriptedTurns([report]) });
    // Two advised waits of 200 ms would pass a 300 ms budget (60 s in use): the second is not waited for.
    h.server.injectFaultAt(1, { kind: 'http', status: 429, type: 'rate_limit_error', retryAfterMs: 200 });
    h.server.injectFaultAt(2, { kind: 'http', status: 429, type: 'rate_limit_error', retryAfterMs: 200 });
    const asked: string[] = [];
    const { events } = await runLogged({ description: 'x' }, { retryBudgetMs: 300, onRetryExhausted: async (info) => (asked.push(info.message), false) });
    assert.equal(eventsOfType(events, 'retrying').length, 1, 'one advised wait, then the budget says stop');
    assert.equal(h.server.messageRequests.length, 2);
    assert.equal(asked.length, 1);
    assert.match(asked[0]!, /Rate limited by the API \(429\)/);
    assert.equal(finished(events).reason, 'error');
  });

  it('reads retry-after-ms, retry-after dates and rate-limit resets', () => {
    const err = (headers: Record<string, string>) => new Anthropic.RateLimitError(429, { error: { message: 'x' } }, 'x', new Headers(headers));
    assert.equal(serverAdvisedDelayMs(err({ 'retry-after-ms': '250' })), 250);
    assert.equal(serverAdvisedDelayMs(err({ 'retry-after': '3' })), 3000);
    assert.equal(serverAdvisedDelayMs(err({ 'retry-after': new Date(Date.UTC(2026, 0, 1, 0, 0, 10)).toUTCString() }), Date.UTC(2026, 0, 1)), 10_000);
    assert.equal(serverAdvisedDelayMs(err({ 'anthropic-ratelimit-tokens-reset': '2026-01-01T00:00:20Z' }), Date.UTC(2026, 0, 1)), 20_000);
    assert.equal(serverAdvisedDelayMs(err({})), undefined);
  });

  it('falls back to the fallback model after repeated 529s, and says so', async () => {
    h = await startHarness({ scenario: scriptedTurns([report]) });
    h.server.injectFault({ kind: 'http', status: 529, type: 'overloaded_error' }, { kind: 'http', status: 529, type: 'overloaded_error' });
    const { events } = await runLogged({ description: 'x', model: 'claude-sonnet-5-5', fallbackModel: 'claude-haiku-4-5' });
    assert.equal(finished(events).reason, 'report');
    const fallback = eventsOfType(events, 'model_fallback')[0]!;
    assert.deepEqual([fallback.from, fallback.to], ['claude-sonnet-5-5', 'claude-haiku-4-5']);
    assert.equal(eventsOfType(events, 'usage')[0]!.model, 'claude-haiku-4-5', 'the cost is recorded against the model that answered');
    assert.deepEqual(
      h.server.messageRequests.map((b) => b.model),
      ['claude-sonnet-5-5', 'claude-sonnet-5-5', 'claude-haiku-4-5'],
    );
  });

  it('abandons a response whose first byte is slower than the watchdog, and sends the step again', async () => {
    h = await startHarness({ scenario: scriptedTurns([report]) });
    h.server.injectFaultAt(1, { kind: 'slow_headers', ms: 3_000 });
    const t0 = Date.now();
    const { events } = await runLogged({ description: 'x' }, { idleTimeoutMs: 300 });
    assert.equal(finished(events).reason, 'report');
    assert.match(eventsOfType(events, 'retrying')[0]!.reason, /stalled/);
    assert.ok(Date.now() - t0 < 2500);
  });

  it('abandons a stream that stalls after its headers and sends the step again', async () => {
    h = await startHarness({ scenario: scriptedTurns([report]) });
    h.server.injectFaultAt(1, { kind: 'stall', afterEvents: 3, ms: 5_000 });
    const t0 = Date.now();
    const { events } = await runLogged({ description: 'x' }, { idleTimeoutMs: 300 });
    assert.equal(finished(events).reason, 'report');
    assert.match(eventsOfType(events, 'retrying')[0]!.reason, /The response stream stalled: nothing arrived for 0\.3 s/);
    assert.ok(Date.now() - t0 < 3000, 'the watchdog did not wait for the stall to end');
  });

  for (const [status, type, message] of [
    [401, 'authentication_error', /API key rejected \(401\)/],
    [400, 'invalid_request_error', /API error 400/],
    [403, 'permission_error', /not allowed to do this \(403\)/],
    [413, 'request_too_large', /API error 413/],
  ] as const) {
    it(`does not retry a ${status}: one request and a clear message`, async () => {
      h = await startHarness({ scenario: scriptedTurns([report]) });
      h.server.injectFault({ kind: 'http', status, type });
      const { events } = await runLogged({ description: 'x' });
      assert.equal(finished(events).reason, 'error');
      assert.match(eventsOfType(events, 'error')[0]!.message, message);
      assert.equal(h.server.messageRequests.length, 1);
      assert.equal(eventsOfType(events, 'retrying').length, 0);
    });
  }

  it('gives up after four attempts, then asks the user, who may try again', async () => {
    h = await startHarness({ scenario: scriptedTurns([report]) });
    for (let i = 0; i < 4; i++) h.server.injectFault({ kind: 'http', status: 500, type: 'api_error' });
    const headless = await runLogged({ description: 'x' });
    assert.equal(finished(headless.events).reason, 'error');
    assert.equal(eventsOfType(headless.events, 'retrying').length, 3);
    assert.equal(h.server.messageRequests.length, 4);

    for (let i = 0; i < 4; i++) h.server.injectFault({ kind: 'http', status: 500, type: 'api_error' });
    const asked: string[] = [];
    const interactive = await runLogged({ description: 'x' }, { onRetryExhausted: async (info) => (asked.push(info.message), true) });
    assert.equal(finished(interactive.events).reason, 'report');
    assert.deepEqual(asked, ['API error 500: Internal server error']);
  });

  it('after "Retry now" the next attempt is announced as new, so the failed attempt\'s text is discarded', async () => {
    h = await startHarness({ files: { 'app.log': LOG }, scenario: scriptedTurns([look('Looking at the pool now, then reporting.'), report]) });
    for (let n = 1; n <= 4; n++) h.server.injectFaultAt(n, { kind: 'drop', afterEvents: 6 });
    const { events } = await runLogged({ description: 'x' }, { tools: tools(), onRetryExhausted: async () => true });
    assert.equal(finished(events).reason, 'report');
    assert.deepEqual(
      eventsOfType(events, 'step_started')
        .filter((s) => s.step === 1)
        .map((s) => s.attempt),
      [undefined, 2, 3, 4, 5],
    );
    // What a UI shows for the step: the text streamed since the step's last (re)start.
    let shown = '';
    for (const e of events) {
      if (e.type === 'step_started' && e.step === 1) shown = '';
      if (e.type === 'text_delta' && e.step === 1) shown += e.text;
    }
    assert.equal(shown, 'Looking at the pool now, then reporting.');
  });

  it('the message the user is asked about is redacted, also of the key it holds', async () => {
    h = await startHarness({ scenario: scriptedTurns([report]) });
    for (let i = 0; i < 4; i++) h.server.injectFault({ kind: 'http', status: 500, type: 'api_error', message: `upstream rejected ${TEST_API_KEY} (password=hunter2hunter2)` });
    const asked: string[] = [];
    await runLogged({ description: 'x' }, { onRetryExhausted: async (info) => (asked.push(info.message), false) });
    assert.equal(asked.length, 1);
    assert.ok(!asked[0]!.includes(TEST_API_KEY) && !asked[0]!.includes('hunter2hunter2'), asked[0]);
    assert.match(asked[0]!, /upstream rejected \[REDACTED:[\w-]+\]/);
  });

  it('cancels promptly while waiting out a retry-after', async () => {
    h = await startHarness({ scenario: scriptedTurns([report]) });
    h.server.injectFaultAt(1, { kind: 'http', status: 429, type: 'rate_limit_error', retryAfterSeconds: 30 });
    const controller = new AbortController();
    const { runTriage } = await import('../../../src/agent/runTriage');
    const run = runTriage({ description: 'x' }, { client: h.client, tools: tools(), workspaceRoots: [h.workspace], signal: controller.signal });
    const events: TriageEvent[] = [];
    const t0 = Date.now();
    for await (const e of run) {
      events.push(e);
      if (e.type === 'retrying') setTimeout(() => controller.abort(), 100);
    }
    assert.equal(finished(events).reason, 'cancelled');
    assert.ok(Date.now() - t0 < 3000, 'did not wait the 30 s');
    assert.equal(h.server.messageRequests.length, 1);
  });

  it('does not run a tool call cut by max_tokens, and carries on', async () => {
    h = await startHarness({
      scenario: scriptedTurns([
        {
          content: [
            { type: 'text', text: 'Searching.' },
            { type: 'tool_use', name: 'counted_probe', rawJson: `{"padding": "${'x'.repeat(2000)}"}` },
          ],
        },
        report,
      ]),
    });
    const { events } = await runLogged({ description: 'x', maxOutputTokens: 200 }, { tools: tools() });
    assert.equal(finished(events).reason, 'report');
    assert.equal(probeRuns, 0);
    assert.equal(eventsOfType(events, 'usage')[0]!.stopReason, 'max_tokens');
  });

  it('continues a paused turn: the assistant content goes back as is, with no user message after it', async () => {
    const paused: ScriptedTurn = { content: [{ type: 'text', text: 'Checking the pool settings first.' }], stopReason: 'pause_turn' };
    const turns = [paused, look('Continuing: now the probe.'), report];
    h = await startHarness({ files: { 'app.log': LOG }, scenario: (_body, { requestIndex }) => turns[requestIndex]! });
    const { events, run } = await runLogged({ description: 'x' }, { tools: tools() });
    assert.equal(finished(events).reason, 'report', JSON.stringify(eventsOfType(events, 'error')));
    const [, continuation] = h.server.messageRequests as { messages: { role: string; content: { type: string; text?: string }[] }[] }[];
    const last = continuation!.messages.at(-1)!;
    assert.equal(last.role, 'assistant', 'the paused turn is the last message of the next request');
    assert.deepEqual(
      last.content.map((b) => b.text ?? b.type),
      ['Checking the pool settings first.'],
    );
    assert.equal(probeRuns, 1);
    // The paused part and its continuation are one turn in the transcript, which the server accepted.
    assert.deepEqual(
      messagesOf(run.conversation).map((m) => m.role),
      ['user', 'assistant', 'user', 'assistant', 'user'],
    );
    assert.equal(h.server.messageRequests.length, 3);
  });

  it('stops a turn that pauses again and again, with a reason', async () => {
    h = await startHarness({ scenario: () => ({ content: [{ type: 'text', text: 'Still working.' }], stopReason: 'pause_turn' }) });
    const { events } = await runLogged({ description: 'x' });
    assert.equal(finished(events).reason, 'error');
    assert.match(eventsOfType(events, 'error')[0]!.message, /paused its turn 5 times in a row/);
    assert.equal(h.server.messageRequests.length, 6);
  });

  it('ends with a clear reason on a refusal, without retrying it', async () => {
    h = await startHarness({ scenario: () => ({ content: [{ type: 'text', text: 'I cannot help with that.' }], stopReason: 'refusal' }) });
    const { events } = await runLogged({ description: 'x' });
    assert.equal(finished(events).reason, 'error');
    assert.match(eventsOfType(events, 'error')[0]!.message, /declined/);
    assert.equal(h.server.messageRequests.length, 1);
  });

  it('cancels before the first request (during the model lookup)', async () => {
    h = await startHarness({ scenario: scriptedTurns([report]) });
    const controller = new AbortController();
    const { runTriage } = await import('../../../src/agent/runTriage');
    const run = runTriage({ description: 'x', model: 'claude-opus-4-8' }, { client: h.client, tools: tools(), workspaceRoots: [h.workspace], signal: controller.signal });
    const events: TriageEvent[] = [];
    for await (const e of run) {
      events.push(e);
      if (e.type === 'run_started') controller.abort();
    }
    assert.equal(finished(events).reason, 'cancelled');
    assert.equal(h.server.messageRequests.length, 0);
  });

  it('keeps a ledger of every completed step when the stream fails mid-run', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'triage-fault-ledger-'));
    try {
      h = await startHarness({ files: { 'app.log': LOG }, scenario: scriptedTurns([look('First look.'), look('Second look.'), report]) });
      for (let n = 2; n <= 5; n++) h.server.injectFaultAt(n, { kind: 'drop', afterEvents: 4 });
      const { runTriage } = await import('../../../src/agent/runTriage');
      const run = runTriage({ description: 'x' }, { client: h.client, tools: tools(), workspaceRoots: [h.workspace], retryInitialDelayMs: 10 });
      const ledger = new EventLog(dir, run.runId);
      for await (const e of run) ledger.append(e);
      const { events, skipped } = readRunLog(ledger.path);
      assert.equal(skipped, 0);
      assert.equal(events.at(-1)!.type, 'run_finished');
      assert.equal((events.at(-1) as { reason: string }).reason, 'error');
      assert.equal(events.filter((e) => e.type === 'usage').length, 1, 'the completed step 1 and its cost are in the ledger');
      assert.equal(events.filter((e) => e.type === 'tool_result').length, 1);
      const usage = events.find((e) => e.type === 'usage') as { requestHash?: string };
      const tool = events.find((e) => e.type === 'tool_result') as { resultHash?: string; input?: unknown; name: string };
      assert.match(usage.requestHash ?? '', /^[0-9a-f]{64}$/, 'each API call is tied to a hash of its request');
      assert.match(tool.resultHash ?? '', /^[0-9a-f]{64}$/);
      assert.deepEqual([tool.name, tool.input], ['counted_probe', {}]);
      assert.ok(!JSON.stringify(events).includes('sk-ant-test'), 'the API key is not in the ledger');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import assert from 'node:assert/strict';
import { z } from 'zod';
import type Anthropic from '@anthropic-ai/sdk';
import { eventsOfType, finished, startHarness, type Harness } from '../../fixtures/harness';
import { scriptedTurns, type ScriptedTurn } from '../../fixtures/anthropic-server/scenario';
import { sampleReport, verifiedReport } from '../../fixtures/reports';
import { createToolRegistry } from '../../../src/engine/toolRegistry';
import { defineTool, type ToolSpec } from '../../../src/tools/registry';
import { CLOSING_INSTRUCTION, TRUNCATED_OUTPUT_NOTE } from '../../../src/agent/prompt';
import { runTriage } from '../../../src/agent/runTriage';
import type { TriageEvent } from '../../../src/shared/events';
import { messagesOf } from '../../../src/agent/conversation';

const LOG = ['2026-11-20T14:00:00Z INFO payments started', '2026-11-20T14:05:00Z ERROR pool exhausted', '2026-11-20T14:06:00Z ERROR pool exhausted'].join('\n');
const report = (): ScriptedTurn => ({ content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] });
const listFiles = (text = 'Listing the log files.'): ScriptedTurn => ({
  content: [
    { type: 'text', text },
    { type: 'tool_use', name: 'list_log_files', input: {} },
  ],
});

type Block = { type: string; [k: string]: unknown };
const contentOf = (m: unknown) => (m as { content: Block[] }).content;
const lastMessage = (body: Record<string, unknown>) => (body.messages as { role: string; content: Block[] }[]).at(-1)!;

describe('runTriage against the fake Messages API', () => {
  let h: Harness;
  afterEach(async () => h?.dispose());

  it('runs a multi-step investigation with parallel tool calls and ends with the report', async () => {
    h = await startHarness({
      files: { 'logs/app.log': LOG, 'logs/db.log': LOG },
      scenario: scriptedTurns([
        {
          content: [
            { type: 'text', text: 'Checking both folders at once.' },
            { type: 'tool_use', name: 'list_log_files', input: { glob: 'logs/app*' } },
            { type: 'tool_use', name: 'list_log_files', input: { glob: 'logs/db*' } },
          ],
        },
        report(),
      ]),
    });
    const { events, run } = await h.run({ description: 'Checkout returns 502' });

    assert.equal(finished(events).reason, 'report');
    assert.deepEqual(eventsOfType(events, 'report')[0]!.report, verifiedReport(sampleReport()));
    assert.equal(run.report?.severity, 'SEV2');
    const types = events.map((e) => e.type);
    assert.equal(types[0], 'run_started');
    assert.ok(types.indexOf('text_delta') < types.indexOf('tool_call_started'), 'text streams before the tool call');
    assert.ok(types.indexOf('usage') < types.indexOf('tool_call_ready'), 'tools run after the step streamed');

    // Both results go back in one user message, in the order of the calls, with the right content.
    const second = h.server.messageRequests[1]!;
    const results = lastMessage(second).content;
    const firstAssistant = contentOf((second.messages as unknown[])[1]);
    const useIds = firstAssistant.filter((b) => b.type === 'tool_use').map((b) => b.id);
    assert.deepEqual(
      results.map((b) => b.tool_use_id),
      useIds,
    );
    assert.match(String(results[0]!.content), /logs\/app\.log/);
    assert.doesNotMatch(String(results[0]!.content), /logs\/db\.log/);
    assert.match(String(results[1]!.content), /logs\/db\.log/);
  });

  it('runs the calls of one step in parallel', async () => {
    const started: number[] = [];
    const slow = defineTool({
      name: 'slow_probe',
      description: 'test tool',
      input: z.object({ n: z.number() }),
      risk: 'read-only',
      run: async () => {
        started.push(Date.now());
        await new Promise((r) => setTimeout(r, 300));
        return { text: 'done' };
      },
    });
    h = await startHarness({
      scenario: scriptedTurns([{ content: [1, 2, 3].map((n) => ({ type: 'tool_use' as const, name: 'slow_probe', input: { n } })) }, report()]),
    });
    const t0 = Date.now();
    const { events } = await h.run({ description: 'x' }, { tools: createToolRegistry({}, [slow]) });
    assert.equal(finished(events).reason, 'report');
    assert.equal(started.length, 3);
    assert.ok(Math.max(...started) - Math.min(...started) < 200, 'all three started together');
    assert.ok(Date.now() - t0 < 850, 'three 300 ms tools took less than their sum');
  });

  it('carries thinking blocks, with their signatures, verbatim across tool turns', async () => {
    h = await startHarness({
      files: { 'app.log': LOG },
      scenario: scriptedTurns([{ content: [{ type: 'thinking', thinking: 'The pool errors matter most.' }, ...listFiles().content] }, report()]),
    });
    const { events } = await h.run({ description: 'x', thinking: { mode: 'auto' } });
    assert.equal(finished(events).reason, 'report', JSON.stringify(eventsOfType(events, 'error')));
    assert.equal(
      eventsOfType(events, 'thinking_delta')
        .map((e) => e.text)
        .join(''),
      'The pool errors matter most.',
    );
    const [first, second] = h.server.messageRequests;
    assert.deepEqual(first!.thinking, { type: 'adaptive', display: 'summarized' });
    const echoed = contentOf((second!.messages as unknown[])[1]);
    assert.equal(echoed[0]!.type, 'thinking');
    assert.equal(echoed[0]!.thinking, 'The pool errors matter most.');
    assert.ok(typeof echoed[0]!.signature === 'string' && echoed[0]!.signature.length > 10);
  });

  it('uses manual thinking with a budget on a model that only supports it', async () => {
    h = await startHarness({ scenario: scriptedTurns([report()]) });
    const { events } = await h.run({ description: 'x', model: 'claude-haiku-4-5', thinking: { mode: 'budget', budgetTokens: 2048 } });
    assert.equal(finished(events).reason, 'report');
    assert.deepEqual(h.server.messageRequests[0]!.thinking, { type: 'enabled', budget_tokens: 2048 });
  });

  describe('tool failures become is_error results the model can act on', () => {
    const throwing = defineTool({ name: 'throwing_tool', description: 't', input: z.object({}), risk: 'read-only', run: async () => Promise.reject(new Error('disk on fire')) });
    const hanging = defineTool({ name: 'hanging_tool', description: 't', input: z.object({}), risk: 'read-only', run: () => new Promise(() => undefined) });
    const writer = defineTool({ name: 'restart_service', description: 't', input: z.object({ service: z.string() }), risk: 'side-effect', run: async () => ({ text: 'restarted' }) });
    const tools = () => createToolRegistry({}, [throwing, hanging, writer] as ToolSpec[]);

    async function resultsFor(calls: { name: string; input?: unknown; rawJson?: string }[], deps = {}) {
      h = await startHarness({ scenario: scriptedTurns([{ content: calls.map((c) => ({ type: 'tool_use' as const, ...c })) }, report()]) });
      const { events } = await h.run({ description: 'x' }, { tools: tools(), toolTimeoutMs: 200, ...deps });
      assert.equal(finished(events).reason, 'report', 'the run carries on after tool errors');
      return { events, sent: lastMessage(h.server.messageRequests[1]!).content };
    }

    it('an unknown tool', async () => {
      const { sent, events } = await resultsFor([{ name: 'drop_database', input: {} }]);
      assert.equal(sent[0]!.is_error, true);
      assert.match(
        String(sent[0]!.content),
        /Unknown tool "drop_database"\. Available tools: list_log_files, summarize_log, compare_log_windows, search_logs, read_log, query_metrics, get_recent_deploys, throwing_tool/,
      );
      assert.equal(eventsOfType(events, 'tool_result')[0]!.ok, false);
      assert.ok(!eventsOfType(events, 'tool_call_ready').some((e) => e.name === 'drop_database'), 'an unknown tool is never "ready"');
    });

    it('arguments that fail the schema, with the field named', async () => {
      const { sent } = await resultsFor([{ name: 'list_log_files', input: { glob: 42 } }]);
      assert.equal(sent[0]!.is_error, true);
      assert.match(String(sent[0]!.content), /Invalid arguments for list_log_files:[\s\S]*glob[\s\S]*call list_log_files again/);
    });

    it('tool input that is not valid JSON ends the step with a clear error, not a crash', async () => {
      // The SDK parses the input at content_block_stop and fails the stream; the API itself
      // only sends complete JSON, so this means a broken stream.
      h = await startHarness({ scenario: scriptedTurns([{ content: [{ type: 'tool_use', name: 'list_log_files', rawJson: '{"glob": "a*"} trailing' }] }]) });
      const { events } = await h.run({ description: 'x' });
      assert.equal(finished(events).reason, 'error');
      assert.match(eventsOfType(events, 'error')[0]!.message, /tool call whose arguments are not valid JSON/);
    });

    it('a tool that throws', async () => {
      const { sent } = await resultsFor([{ name: 'throwing_tool', input: {} }]);
      assert.equal(sent[0]!.is_error, true);
      assert.match(String(sent[0]!.content), /^<tool_output-[0-9a-f]{24} tool="throwing_tool">\nthrowing_tool failed: disk on fire\n<\/tool_output-[0-9a-f]{24}>$/);
    });

    it('a tool that hangs past its timeout', async () => {
      const t0 = Date.now();
      const { sent } = await resultsFor([
        { name: 'hanging_tool', input: {} },
        { name: 'list_log_files', input: {} },
      ]);
      assert.ok(Date.now() - t0 < 2000);
      assert.equal(sent[0]!.is_error, true);
      assert.match(String(sent[0]!.content), /timed out after 0\.2 s/);
      assert.equal(sent[1]!.is_error, undefined, 'the other call of the step still succeeds');
    });

    it('a side-effect tool without approval is refused, and runs once approved', async () => {
      const refused = await resultsFor([{ name: 'restart_service', input: { service: 'payments' } }]);
      assert.match(String(refused.sent[0]!.content), /^<tool_output-([0-9a-f]{24}) tool="restart_service">\nThe user did not approve[^]*<\/tool_output-\1>$/, 'an error is delimited as data too');
      assert.equal(refused.sent[0]!.is_error, true);
      await h.dispose();
      const asked: unknown[] = [];
      const approved = await resultsFor([{ name: 'restart_service', input: { service: 'payments' } }], {
        approve: async (call: unknown) => (asked.push(call), true),
      });
      assert.deepEqual(asked, [{ name: 'restart_service', input: { service: 'payments' } }]);
      assert.match(String(approved.sent[0]!.content), /^<tool_output-([0-9a-f]{24}) tool="restart_service">\nrestarted\n<\/tool_output-\1>$/);
    });

    it('an invalid report is sent back with its errors, and the corrected one is accepted', async () => {
      h = await startHarness({
        scenario: scriptedTurns([{ content: [{ type: 'tool_use', name: 'submit_triage_report', input: { ...sampleReport(), severity: 'CRITICAL' } }] }, report()]),
      });
      const { events } = await h.run({ description: 'x' });
      assert.equal(finished(events).reason, 'report');
      const feedback = lastMessage(h.server.messageRequests[1]!).content[0]!;
      assert.equal(feedback.is_error, true);
      assert.match(String(feedback.content), /severity/);
      assert.equal(eventsOfType(events, 'report').length, 1);
    });
  });

  describe('the step cap and the forced report', () => {
    const endlessListing = () => scriptedTurns(Array.from({ length: 3 }, () => listFiles()).concat(report()));

    it('forces submit_triage_report with tool_choice once the cap is reached', async () => {
      h = await startHarness({ scenario: endlessListing() });
      const { events } = await h.run({ description: 'x', maxSteps: 3 });
      const end = finished(events);
      assert.equal(end.reason, 'max_steps');
      assert.equal(eventsOfType(events, 'report').length, 1, 'the run still ends with a report');
      const requests = h.server.messageRequests;
      assert.equal(requests.length, 4);
      assert.equal(requests[2]!.tool_choice, undefined);
      assert.deepEqual(requests[3]!.tool_choice, { type: 'tool', name: 'submit_triage_report' });
      const tail = lastMessage(requests[3]!).content;
      assert.equal(tail[0]!.type, 'tool_result', 'tool results come first');
      assert.equal(tail.at(-1)!.text, CLOSING_INSTRUCTION);
      assert.deepEqual(
        eventsOfType(events, 'step_started').map((e) => e.forcedReport),
        [false, false, false, true],
      );
    });

    it('with manual thinking, asks with a closing instruction and tool_choice auto', async () => {
      h = await startHarness({ scenario: endlessListing() });
      const { events } = await h.run({ description: 'x', maxSteps: 3, model: 'claude-haiku-4-5', thinking: { mode: 'budget', budgetTokens: 1024 } });
      assert.equal(finished(events).reason, 'max_steps');
      assert.equal(h.server.messageRequests[3]!.tool_choice, undefined);
      assert.equal(lastMessage(h.server.messageRequests[3]!).content.at(-1)!.text, CLOSING_INSTRUCTION);
    });

    it('falls back to the closing instruction when the model rejects forced tool choice', async () => {
      h = await startHarness({ scenario: endlessListing() });
      const { events } = await h.run({ description: 'x', maxSteps: 3, model: 'claude-fable-5-1', thinking: { mode: 'auto' } });
      assert.equal(finished(events).reason, 'max_steps');
      assert.equal(eventsOfType(events, 'report').length, 1);
      const statuses = h.server.requests.filter((r) => r.path === '/v1/messages').map((r) => r.status);
      assert.deepEqual(statuses, [200, 200, 200, 400, 200]);
      assert.equal(h.server.messageRequests[4]!.tool_choice, undefined);
    });

    it('asks for the report when the model ends its turn without one', async () => {
      h = await startHarness({ scenario: scriptedTurns([{ content: [{ type: 'text', text: 'Looks like the DB.' }] }, report()]) });
      const { events } = await h.run({ description: 'x' });
      assert.equal(finished(events).reason, 'report');
      const second = h.server.messageRequests[1]!;
      assert.deepEqual(second.tool_choice, { type: 'tool', name: 'submit_triage_report' });
      assert.equal(lastMessage(second).content.at(-1)!.text, CLOSING_INSTRUCTION);
    });

    it('gives up with a clear reason when no valid report comes', async () => {
      h = await startHarness({ scenario: () => ({ content: [{ type: 'text', text: 'I would rather not.' }] }) });
      const { events } = await h.run({ description: 'x' });
      const end = finished(events);
      assert.equal(end.reason, 'error');
      assert.match(end.message, /did not submit a valid report/);
      assert.equal(h.server.messageRequests.length, 3, 'one step, then two requests for the report');
    });
  });

  it('does not run a tool call cut off by max_tokens, and says why', async () => {
    const ran: unknown[] = [];
    const probe = defineTool({ name: 'probe', description: 't', input: z.object({ q: z.string() }), risk: 'read-only', run: async (i) => (ran.push(i), { text: 'ok' }) });
    h = await startHarness({
      scenario: scriptedTurns([
        {
          content: [
            { type: 'text', text: 'Searching with a long query.' },
            { type: 'tool_use', name: 'probe', input: { q: 'x'.repeat(400) } },
          ],
        },
        report(),
      ]),
    });
    const { events } = await h.run({ description: 'x', maxOutputTokens: 60 }, { tools: createToolRegistry({}, [probe]) });
    assert.deepEqual(ran, []);
    assert.equal(eventsOfType(events, 'usage')[0]!.stopReason, 'max_tokens');
    const second = h.server.messageRequests[1]!;
    const assistant = contentOf((second.messages as unknown[])[1]);
    assert.deepEqual(
      assistant.map((b) => b.type),
      ['text'],
      'the cut tool_use is dropped, the text kept',
    );
    assert.equal(lastMessage(second).content.at(-1)!.text, TRUNCATED_OUTPUT_NOTE);
  });

  it('ends with a clear error on a refusal', async () => {
    h = await startHarness({ scenario: () => ({ content: [{ type: 'text', text: 'No.' }], stopReason: 'refusal' }) });
    const { events } = await h.run({ description: 'x' });
    assert.equal(finished(events).reason, 'error');
    assert.match(eventsOfType(events, 'error')[0]!.message, /declined/);
  });

  describe('cancellation', () => {
    it('mid-stream: aborts the HTTP stream and keeps the transcript of completed steps', async () => {
      h = await startHarness({
        files: { 'app.log': LOG },
        chunkDelayMs: 20,
        scenario: scriptedTurns([listFiles(), { content: [{ type: 'text', text: 'word '.repeat(200) }] }]),
      });
      const controller = new AbortController();
      const events: TriageEvent[] = [];
      const run = runTriage({ description: 'x' }, { client: h.client, tools: createToolRegistry(), workspaceRoots: [h.workspace], signal: controller.signal });
      const t0 = Date.now();
      for await (const e of run) {
        events.push(e);
        if (e.type === 'text_delta' && e.step === 2) controller.abort();
      }
      assert.ok(Date.now() - t0 < 3000, 'stopped promptly instead of streaming 200 words');
      assert.equal(finished(events).reason, 'cancelled');
      assert.equal(eventsOfType(events, 'usage').length, 1, 'the cut step has no usage');
      // The kept transcript is a valid conversation: incident, step 1, its tool results.
      assert.deepEqual(
        messagesOf(run.conversation).map((m) => m.role),
        ['user', 'assistant', 'user'],
      );
      assert.equal((messagesOf(run.conversation)[2]!.content as Anthropic.ToolResultBlockParam[])[0]!.type, 'tool_result');
    });

    it('mid-tool: pending tools are cancelled and still answered, so the transcript stays valid', async () => {
      const hanging = defineTool({ name: 'hanging_tool', description: 't', input: z.object({}), risk: 'read-only', run: () => new Promise(() => undefined) });
      h = await startHarness({ scenario: scriptedTurns([{ content: [{ type: 'tool_use', name: 'hanging_tool', input: {} }] }, report()]) });
      const controller = new AbortController();
      const run = runTriage({ description: 'x' }, { client: h.client, tools: createToolRegistry({}, [hanging]), workspaceRoots: [h.workspace], signal: controller.signal });
      const events: TriageEvent[] = [];
      for await (const e of run) {
        events.push(e);
        if (e.type === 'tool_call_ready') setTimeout(() => controller.abort(), 50);
      }
      assert.equal(finished(events).reason, 'cancelled');
      const result = eventsOfType(events, 'tool_result')[0]!;
      assert.equal(result.preview, 'Cancelled by the user.');
      assert.equal(h.server.messageRequests.length, 1, 'no request after the cancel');
      const tail = messagesOf(run.conversation).at(-1)!.content as Anthropic.ToolResultBlockParam[];
      assert.equal(tail[0]!.is_error, true);
    });
  });

  it('continues the same conversation for a follow-up question', async () => {
    h = await startHarness({
      scenario: scriptedTurns([
        report(),
        {
          content: [
            { type: 'text', text: 'Yes: roll back first.' },
            { type: 'tool_use', name: 'submit_triage_report', input: sampleReport({ confidence: 0.9 }) },
          ],
        },
      ]),
    });
    const first = await h.run({ description: 'x' });
    const followUp = await h.run({ description: 'Should we roll back?', followUp: first.run.conversation });
    assert.equal(finished(followUp.events).reason, 'report');
    const sent = h.server.messageRequests[1]!;
    const roles = (sent.messages as { role: string }[]).map((m) => m.role);
    assert.deepEqual(roles, ['user', 'assistant', 'user']);
    const tail = lastMessage(sent).content;
    assert.equal(tail[0]!.type, 'tool_result', 'the report call is answered before the follow-up');
    assert.equal(tail[1]!.text, 'Should we roll back?', 'a follow-up is sent as asked');
  });

  it('reports usage per call as the API sent it, with timings', async () => {
    h = await startHarness({ files: { 'app.log': LOG }, scenario: scriptedTurns([listFiles(), report()]) });
    const { events } = await h.run({ description: 'x' });
    const usage = eventsOfType(events, 'usage');
    const recorded = h.server.requests.filter((r) => r.path === '/v1/messages').map((r) => r.usage!);
    assert.equal(usage.length, 2);
    usage.forEach((u, i) => {
      assert.equal(u.usage.inputTokens, recorded[i]!.inputTokens);
      assert.equal(u.usage.cacheReadInputTokens, recorded[i]!.cacheRead);
      assert.equal(u.usage.cacheCreationInputTokens, recorded[i]!.cacheWrite5m + recorded[i]!.cacheWrite1h);
      assert.equal(u.usage.outputTokens, recorded[i]!.outputTokens);
      assert.ok(u.timeToFirstTokenMs !== null && u.timeToFirstTokenMs <= u.totalMs);
      assert.match(u.requestId ?? '', /^req_emu_/);
    });
    assert.ok(usage[1]!.usage.cacheReadInputTokens > 0, 'the second step reads the first from cache');
  });

  it('ends with reason error, not an exception, when something unexpected fails', async () => {
    h = await startHarness({ scenario: scriptedTurns([report()]) });
    const broken = createToolRegistry();
    broken.prepare = () => {
      throw new Error('registry corrupted');
    };
    const { events } = await h.run({ description: 'x' }, { tools: broken });
    assert.equal(finished(events).reason, 'error');
    assert.match(finished(events).message, /Internal error: registry corrupted/);
  });

  it('ends with a clear error, not a crash, when the API rejects the key', async () => {
    h = await startHarness({ apiKey: 'sk-ant-the-right-one' });
    const { events } = await h.run({ description: 'x' });
    assert.equal(finished(events).reason, 'error');
    assert.match(eventsOfType(events, 'error')[0]!.message, /API key rejected \(401\) — run "Incident Triage: Set API Key"/);
  });
});

import assert from 'node:assert/strict';
import { eventsOfType, finished, startHarness, type Harness } from '../../fixtures/harness';
import { scriptedTurns, type ScriptedTurn } from '../../fixtures/anthropic-server/scenario';
import { sampleReport } from '../../fixtures/reports';
import { SYSTEM_PROMPT } from '../../../src/agent/prompt';
import { createToolRegistry } from '../../../src/engine/toolRegistry';
import { buildRequest, CACHE_LOOKBACK_BLOCKS, MAX_BREAKPOINTS } from '../../../src/agent/request';

const LOG = '2026-11-20T14:05:00Z ERROR pool exhausted\n'.repeat(20);
const report: ScriptedTurn = { content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] };
const search = (n: number): ScriptedTurn => ({ content: Array.from({ length: n }, (_, i) => ({ type: 'tool_use' as const, name: 'search_logs', input: { query: `pool ${i}`, limit: 1 } })) });

type Body = Record<string, unknown>;
const breakpoints = (body: Body) => {
  const where: string[] = [];
  (body.tools as Body[]).forEach((t, i) => t.cache_control && where.push(`tools.${i}`));
  (body.system as Body[]).forEach((b, i) => b.cache_control && where.push(`system.${i}`));
  (body.messages as { content: Body[] }[]).forEach((m, i) => m.content.forEach((b, j) => b.cache_control && where.push(`messages.${i}.${j}`)));
  return where;
};

describe('prompt caching layout', () => {
  let h: Harness;
  afterEach(async () => h?.dispose());

  it('keeps the cached prefix byte-for-byte identical across steps and across runs', async () => {
    h = await startHarness({ files: { 'app.log': LOG }, scenario: scriptedTurns([search(2), search(1), report]) });
    await h.run({ description: 'checkout is down' }, { now: () => new Date('2026-11-20T14:10:00Z') });
    await h.run({ description: 'something else entirely' }, { now: () => new Date('2026-11-21T09:00:00Z') });
    const prefixes = h.server.messageRequests.map((b) => JSON.stringify({ tools: b.tools, system: b.system }));
    assert.equal(prefixes.length, 6);
    assert.equal(new Set(prefixes).size, 1);
    assert.ok(!prefixes[0]!.includes('2026-11-20T14:10'), 'no time inside the prefix');
    assert.ok(!prefixes[0]!.includes(h.workspace.split('/').pop()!), 'no workspace name inside the prefix');
  });

  it('is long enough for every model to cache it (4,096 tokens at most 4 characters a token)', () => {
    const chars = JSON.stringify(createToolRegistry().definitions()).length + SYSTEM_PROMPT.length;
    assert.ok(chars >= 4096 * 4, `${chars} characters`);
  });

  it('puts breakpoints on the system prefix and the newest block, and each step reads all earlier steps', async () => {
    h = await startHarness({ files: { 'app.log': LOG }, scenario: scriptedTurns([search(1), search(1), report]) });
    const { events } = await h.run({ description: 'x' });
    const requests = h.server.messageRequests;
    assert.deepEqual(breakpoints(requests[0]!), ['system.0', 'messages.0.0']);
    assert.deepEqual(breakpoints(requests[2]!), ['system.0', 'messages.4.0']);
    const usage = eventsOfType(events, 'usage').map((e) => e.usage);
    for (let i = 1; i < usage.length; i++) {
      const previousTotal = usage[i - 1]!.inputTokens + usage[i - 1]!.cacheCreationInputTokens + usage[i - 1]!.cacheReadInputTokens;
      assert.equal(usage[i]!.cacheReadInputTokens, previousTotal, `step ${i + 1} reads everything step ${i} sent`);
      assert.equal(usage[i]!.inputTokens, 0);
    }
  });

  it('adds a breakpoint where the previous step ended when many parallel calls push it out of the 20-block lookback', async () => {
    h = await startHarness({ files: { 'app.log': LOG }, scenario: scriptedTurns([search(1), search(12), report]) });
    const { events } = await h.run({ description: 'x' });
    assert.equal(finished(events).reason, 'report');
    const third = h.server.messageRequests[2]!;
    assert.deepEqual(breakpoints(third), ['system.0', 'messages.2.0', 'messages.4.11']);
    const usage = eventsOfType(events, 'usage').map((e) => e.usage);
    const secondTotal = usage[1]!.inputTokens + usage[1]!.cacheCreationInputTokens + usage[1]!.cacheReadInputTokens;
    assert.equal(usage[2]!.cacheReadInputTokens, secondTotal, 'the third step still reads the second from cache');
    for (const body of h.server.messageRequests) assert.ok(breakpoints(body).length <= MAX_BREAKPOINTS);
  });

  it('without the extra breakpoint, the same step would miss the cache (the emulator enforces the lookback)', () => {
    const messages = [
      { role: 'user' as const, content: [{ type: 'text' as const, text: 'go' }] },
      { role: 'assistant' as const, content: Array.from({ length: 12 }, (_, i) => ({ type: 'tool_use' as const, id: `t${i}`, name: 'x', input: {} })) },
      { role: 'user' as const, content: Array.from({ length: 12 }, (_, i) => ({ type: 'tool_result' as const, tool_use_id: `t${i}`, content: 'r' })) },
    ];
    const body = buildRequest({ model: 'm', maxTokens: 10, tools: [], messages });
    assert.ok(24 >= CACHE_LOOKBACK_BLOCKS);
    assert.deepEqual(breakpoints(body as unknown as Body), ['system.0', 'messages.0.0', 'messages.2.11']);
  });

  it('uses 1-hour entries when asked, and none when caching is off', async () => {
    h = await startHarness({ scenario: scriptedTurns([report]) });
    const hour = await h.run({ description: 'x', cacheTtl: '1h' });
    const body = h.server.messageRequests[0]!;
    assert.deepEqual((body.system as Body[])[0]!.cache_control, { type: 'ephemeral', ttl: '1h' });
    const u = eventsOfType(hour.events, 'usage')[0]!.usage;
    assert.ok(u.cacheCreation1hInputTokens > 0);
    assert.equal(u.cacheCreation5mInputTokens, 0);
    await h.run({ description: 'x', cacheTtl: 'off' });
    assert.deepEqual(breakpoints(h.server.messageRequests[1]!), []);
  });

  it('prices each call from the usage the API sent', async () => {
    h = await startHarness({ files: { 'app.log': LOG }, scenario: scriptedTurns([search(1), report]) });
    const { events } = await h.run({ description: 'x', model: 'claude-sonnet-4-6' });
    const usage = eventsOfType(events, 'usage');
    const recorded = h.server.requests.filter((r) => r.path === '/v1/messages').map((r) => r.usage!);
    usage.forEach((u, i) => {
      const r = recorded[i]!;
      // Claude Sonnet 4.6: input 3, 5-minute write 3.75, read 0.30, output 15 ($/MTok)
      const expected = (r.inputTokens * 3 + r.cacheWrite5m * 3.75 + r.cacheRead * 0.3 + r.outputTokens * 15) / 1e6;
      assert.ok(Math.abs(u.costUsd! - expected) < 1e-12, `${u.costUsd} vs ${expected}`);
      assert.equal(u.pricedAs, 'claude-sonnet-4-6');
    });
    const end = finished(events);
    assert.ok(Math.abs(end.costUsd! - usage.reduce((a, u) => a + u.costUsd!, 0)) < 1e-12);
  });
});

describe('per-run budgets', () => {
  let h: Harness;
  afterEach(async () => h?.dispose());

  it('requests the report early instead of overshooting a dollar budget, and says so', async () => {
    // The model keeps searching until forced to report. Each step's worst case includes its full
    // 16,000-token output allowance ($0.24 on Sonnet 4.6), so a $0.30 budget fits a few cached steps of about $0.002 each.
    h = await startHarness({ files: { 'app.log': LOG }, scenario: (body) => ((body.tool_choice as { name?: string } | undefined)?.name ? report : search(1)) });
    const { events } = await h.run({ description: 'x', model: 'claude-sonnet-4-6', budget: { maxUsd: 0.3 } });
    const end = finished(events);
    assert.equal(end.reason, 'budget');
    assert.match(end.message, /Near the budget of \$0\.300 \(spent \$0\.\d+\): the report was requested early/);
    assert.equal(eventsOfType(events, 'report').length, 1);
    assert.ok(end.costUsd! > 0 && end.costUsd! <= 0.3, `spent ${end.costUsd}`);
    const steps = eventsOfType(events, 'step_started');
    assert.ok(steps.length >= 3, `${steps.length} steps`);
    assert.deepEqual(
      steps.map((s) => s.forcedReport),
      [...steps.slice(1).map(() => false), true],
    );
    assert.equal(h.server.requests.filter((r) => r.path === '/v1/messages').at(-1)!.body!.max_tokens, 4096, 'the forced report call asks for less output');
  });

  it('stops before a request that could not fit the token budget at all', async () => {
    h = await startHarness({ scenario: scriptedTurns([report]) });
    const { events } = await h.run({ description: 'x', budget: { maxTokens: 2000 } });
    const end = finished(events);
    assert.equal(end.reason, 'budget');
    assert.match(end.message, /Stopped at the token budget of 2,000/);
    assert.equal(h.server.messageRequests.length, 0);
  });
});

describe('the cache breakpoint limit', () => {
  it('is enforced where requests are built: a transcript that kept marks fails before it is sent, not as a 400', () => {
    const mark = { type: 'ephemeral' as const };
    const marked = (text: string) => ({ type: 'text' as const, text, cache_control: mark });
    const messages = [
      { role: 'user' as const, content: [marked('a'), marked('b'), marked('b2')] },
      { role: 'assistant' as const, content: [{ type: 'text' as const, text: 'c' }] },
      { role: 'user' as const, content: [{ type: 'text' as const, text: 'd' }] },
    ];
    // The system prompt's mark, the newest block's, and the three the transcript kept: five.
    assert.throws(() => buildRequest({ model: 'm', maxTokens: 10, tools: [], messages }), new RegExp(`5 cache breakpoints; the API allows ${MAX_BREAKPOINTS}`));
    assert.doesNotThrow(() => buildRequest({ model: 'm', maxTokens: 10, tools: [], messages: messages.slice(1) }));
  });
});

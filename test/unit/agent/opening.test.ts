import assert from 'node:assert/strict';
import { eventsOfType, startHarness, type Harness } from '../../fixtures/harness';
import { scriptedTurns, type ScriptedTurn } from '../../fixtures/anthropic-server/scenario';
import { sampleReport } from '../../fixtures/reports';
import { previewRequest } from '../../../src/agent/opening';
import { createToolRegistry } from '../../../src/engine/toolRegistry';
import type { ThinkingSetting } from '../../../src/shared/settings';

const report: ScriptedTurn = { content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] };
const NOW = new Date('2026-11-20T14:25:00Z');
/** The per-conversation tool-output boundary is random: two openings differ only in it. */
const sameBoundary = (json: string) => json.replace(/(tool_output-|boundary for this conversation: )[0-9a-f]{24}/g, '$1BOUNDARY');

describe('the opening of a run', () => {
  let h: Harness;
  afterEach(async () => h?.dispose());

  it('the preview is byte for byte the first request the run sends, the boundary aside', async () => {
    h = await startHarness({ files: { 'logs/app.log': 'x\n' }, scenario: scriptedTurns([report]) });
    const request = { description: 'Checkout 502s since 14:05; token sk-ant-api03-' + 'A'.repeat(40), logFile: 'logs/app.log', thinking: { mode: 'auto' } as const, cacheTtl: '1h' as const };
    const preview = await previewRequest(request, { client: h.client, tools: createToolRegistry(), workspaceRoots: [h.workspace], now: () => NOW });
    await h.run(request, { now: () => NOW });
    const sent = h.server.messageRequests[0]!;
    assert.deepEqual(JSON.parse(sameBoundary(JSON.stringify(preview))), JSON.parse(sameBoundary(JSON.stringify(sent))));
    assert.doesNotMatch(JSON.stringify(preview), /AAAAAAAAAA/, 'the pasted key is redacted in the preview as in the run');
  });

  it('a follow-up preview continues the conversation the way the run does: one user turn, not two', async () => {
    h = await startHarness({ scenario: scriptedTurns([report, report]) });
    const first = await h.run({ description: 'Checkout 502s' });
    const followUp = { description: 'Should we roll back?', followUp: first.run.conversation };
    const preview = await previewRequest(followUp, { client: h.client, tools: createToolRegistry(), workspaceRoots: [h.workspace] });
    await h.run(followUp);
    const sent = h.server.messageRequests.at(-1)!;
    assert.deepEqual(
      (preview.messages as { role: string }[]).map((m) => m.role),
      ['user', 'assistant', 'user'],
    );
    assert.equal(JSON.stringify(preview.messages), JSON.stringify(sent.messages));
  });

  // run_started.thinking says what is sent, which the model's capabilities decide (catalog in test/fixtures/anthropic-server/catalog.ts).
  const cases: [model: string, asked: ThinkingSetting, reported: string, sent: string | undefined][] = [
    ['claude-sonnet-5-5', { mode: 'budget', budgetTokens: 2048 }, 'adaptive', 'adaptive'], // no manual budget on this model
    ['claude-haiku-4-5', { mode: 'auto' }, 'manual', 'enabled'], // no adaptive thinking on this model
    ['claude-sonnet-4-6', { mode: 'budget', budgetTokens: 2048 }, 'manual', 'enabled'],
    ['claude-sonnet-5-5', { mode: 'off' }, 'off', undefined],
  ];
  for (const [model, asked, reported, sent] of cases) {
    it(`${model} asked for thinking ${asked.mode} reports "${reported}", which is what it sends`, async () => {
      h = await startHarness({ scenario: scriptedTurns([report]) });
      const { events } = await h.run({ description: 'x', model, thinking: asked });
      assert.equal(eventsOfType(events, 'run_started')[0]!.thinking, reported);
      assert.equal((h.server.messageRequests[0]!.thinking as { type?: string } | undefined)?.type, sent);
    });
  }
});

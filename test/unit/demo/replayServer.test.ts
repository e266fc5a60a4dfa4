import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { CHECKOUT_DESCRIPTION, checkoutIncidentScenario } from '../../../src/demo/checkoutIncident';
import { startReplayServer, type ReplayServer } from '../../../src/demo/replayServer';
import { FakeAnthropic } from '../../fixtures/anthropic-server/server';

const MODEL = 'claude-sonnet-5-5';
const SYSTEM = [{ type: 'text' as const, text: 'You triage incidents. '.repeat(300), cache_control: { type: 'ephemeral' as const } }];

/** What a client sees of one streamed answer, without the parts that are random per server (tool ids, signatures). */
async function firstTurn(baseURL: string): Promise<{ content: unknown[]; stop: string | null; usage: Anthropic.Usage; requestId: string | null | undefined }> {
  const sdk = new Anthropic({ apiKey: 'demo-replay', baseURL, maxRetries: 0 });
  const stream = sdk.messages.stream({ model: MODEL, max_tokens: 4000, system: SYSTEM, messages: [{ role: 'user', content: CHECKOUT_DESCRIPTION }] });
  const message = await stream.finalMessage();
  const content = message.content.map((b) => (b.type === 'tool_use' ? { type: b.type, name: b.name, input: b.input } : b.type === 'thinking' ? { type: b.type, thinking: b.thinking } : b));
  return { content, stop: message.stop_reason, usage: message.usage, requestId: stream.request_id };
}

describe("the demo's replay server", () => {
  let replay: ReplayServer;
  afterEach(async () => replay?.close());

  it("streams a recorded turn exactly as the tests' emulator does, from the one shared encoder", async () => {
    replay = await startReplayServer({ scenario: checkoutIncidentScenario });
    const emulator = await FakeAnthropic.start({ scenario: checkoutIncidentScenario });
    try {
      const fromReplay = await firstTurn(replay.url);
      const fromEmulator = await firstTurn(emulator.url);
      assert.deepEqual(fromReplay.content, fromEmulator.content);
      assert.equal(fromReplay.stop, 'tool_use');
      assert.deepEqual(fromReplay.usage, fromEmulator.usage);
      assert.ok(fromReplay.usage.cache_creation_input_tokens! > 1000, 'the cache breakpoint is honoured: the prefix is written');
      assert.match(fromReplay.requestId ?? '', /^req_emu_\d{6}$/);
    } finally {
      await emulator.close();
    }
  });

  it("answers the Models API for the engine's capability lookup, and 404 for a model it does not know", async () => {
    replay = await startReplayServer({ scenario: checkoutIncidentScenario });
    const sdk = new Anthropic({ apiKey: 'demo-replay', baseURL: replay.url, maxRetries: 0 });
    const info = await sdk.models.retrieve(MODEL);
    assert.equal(info.capabilities?.thinking.types.adaptive.supported, true);
    await assert.rejects(sdk.models.retrieve('claude-nonexistent'), Anthropic.NotFoundError);
    await assert.rejects(sdk.messages.stream({ model: 'claude-nonexistent', max_tokens: 10, messages: [{ role: 'user', content: 'a' }] }).finalMessage(), Anthropic.NotFoundError);
  });
});

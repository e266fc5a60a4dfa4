import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { FakeAnthropic } from '../../fixtures/anthropic-server/server';
import { scriptedTurns } from '../../fixtures/anthropic-server/scenario';
import { TEST_API_KEY } from '../../fixtures/harness';

const MODEL = 'claude-sonnet-5-5';
const LONG_SYSTEM = 'You are a careful incident responder. '.repeat(200); // ~1,900 tokens by the emulator's estimate

function client(server: FakeAnthropic, options: Partial<ConstructorParameters<typeof Anthropic>[0]> = {}) {
  return new Anthropic({ apiKey: TEST_API_KEY, baseURL: server.url, maxRetries: 0, ...options });
}

/** Reads a raw SSE response into [event, data] pairs, without the SDK. */
async function rawEvents(server: FakeAnthropic, body: unknown): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const text = await res.text();
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      return { event: eventLine!.replace('event: ', ''), data: JSON.parse(dataLine!.replace('data: ', '')) as Record<string, unknown> };
    });
}

describe('FakeAnthropic: the Messages API emulator', () => {
  let server: FakeAnthropic;
  afterEach(async () => server?.close());

  it('streams the exact SSE event grammar for thinking, text and tool_use blocks', async () => {
    server = await FakeAnthropic.start({
      scenario: scriptedTurns([
        {
          content: [
            { type: 'thinking', thinking: 'Hmm.' },
            { type: 'text', text: 'Looking.' },
            { type: 'tool_use', name: 't', input: { a: 1 } },
          ],
        },
      ]),
    });
    const events = await rawEvents(server, { model: MODEL, max_tokens: 1000, stream: true, tools: [{ name: 't', input_schema: { type: 'object' } }], messages: [{ role: 'user', content: 'hi' }] });
    const names = events.map((e) => e.event);
    assert.equal(names[0], 'message_start');
    assert.equal(names[1], 'ping');
    assert.deepEqual(names.slice(-2), ['message_delta', 'message_stop']);
    // Each block: start, deltas, stop, with the index of its position.
    const starts = events.filter((e) => e.event === 'content_block_start');
    assert.deepEqual(
      starts.map((e) => [e.data.index, (e.data.content_block as { type: string }).type]),
      [
        [0, 'thinking'],
        [1, 'text'],
        [2, 'tool_use'],
      ],
    );
    const deltaTypes = events.filter((e) => e.event === 'content_block_delta').map((e) => (e.data.delta as { type: string }).type);
    assert.deepEqual([...new Set(deltaTypes)], ['thinking_delta', 'signature_delta', 'text_delta', 'input_json_delta']);
    assert.equal(deltaTypes.indexOf('signature_delta'), deltaTypes.lastIndexOf('thinking_delta') + 1, 'the signature arrives just before the thinking block stops');
    const json = events
      .filter((e) => (e.data.delta as { type?: string } | undefined)?.type === 'input_json_delta')
      .map((e) => (e.data.delta as { partial_json: string }).partial_json)
      .join('');
    assert.deepEqual(JSON.parse(json), { a: 1 });
    const start = events[0]!.data.message as { usage: Record<string, unknown>; stop_reason: unknown; content: unknown[] };
    assert.equal(start.stop_reason, null);
    assert.deepEqual(start.content, []);
    for (const field of ['input_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'output_tokens', 'cache_creation']) assert.ok(field in start.usage, field);
    const delta = events.at(-2)!.data as { delta: { stop_reason: string }; usage: { output_tokens: number } };
    assert.equal(delta.delta.stop_reason, 'tool_use');
    assert.ok(delta.usage.output_tokens > 1, 'message_delta carries the cumulative output count');
  });

  it('is understood by the real SDK, streaming and not', async () => {
    server = await FakeAnthropic.start({ scenario: scriptedTurns([{ content: [{ type: 'text', text: 'Hello from the emulator.' }] }]) });
    const sdk = client(server);
    const streamed = await sdk.messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    assert.equal(streamed.content[0]!.type === 'text' && streamed.content[0]!.text, 'Hello from the emulator.');
    assert.equal(streamed.stop_reason, 'end_turn');
    const plain = await sdk.messages.create({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(plain.content[0]!.type === 'text' && plain.content[0].text, 'Hello from the emulator.');
    assert.equal(plain.usage.output_tokens, streamed.usage.output_tokens);
  });

  it('serves the Models API and count_tokens', async () => {
    server = await FakeAnthropic.start();
    const sdk = client(server);
    const info = await sdk.models.retrieve('claude-haiku-4-5');
    assert.equal(info.capabilities?.thinking.types.enabled.supported, true);
    assert.equal(info.capabilities?.thinking.types.adaptive.supported, false);
    const page = await sdk.models.list();
    assert.ok(page.data.some((m) => m.id === MODEL));
    await assert.rejects(sdk.models.retrieve('claude-nonexistent'), Anthropic.NotFoundError);
    const counted = await sdk.messages.countTokens({ model: MODEL, system: LONG_SYSTEM, messages: [{ role: 'user', content: 'hi' }] });
    assert.ok(counted.input_tokens > 1800 && counted.input_tokens < 2100, String(counted.input_tokens));
  });

  describe('rejects what the API would reject, with its error shape', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        'a tool_use without its tool_result',
        {
          messages: [
            { role: 'user', content: 'a' },
            { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 't', input: {} }] },
            { role: 'user', content: 'b' },
          ],
        },
        /`tool_use` ids were found without `tool_result` blocks immediately after: toolu_1/,
      ],
      [
        'a tool_result after text in the user message',
        {
          messages: [
            { role: 'user', content: 'a' },
            { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 't', input: {} }] },
            {
              role: 'user',
              content: [
                { type: 'text', text: 'x' },
                { type: 'tool_result', tool_use_id: 'toolu_1', content: 'r' },
              ],
            },
          ],
        },
        /without `tool_result` blocks immediately after/,
      ],
      [
        'a tool_result for an unknown tool_use',
        { messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'r' }] }] },
        /tool_result blocks|unexpected `tool_use_id`/,
      ],
      [
        'two user messages in a row',
        {
          messages: [
            { role: 'user', content: 'a' },
            { role: 'user', content: 'b' },
          ],
        },
        /roles must alternate/,
      ],
      ['a first message from the assistant', { messages: [{ role: 'assistant', content: 'a' }] }, /first message must use the \W+user\W+ role/],
      [
        'five cache_control blocks',
        { system: [1, 2, 3, 4, 5].map((n) => ({ type: 'text', text: `s${n}`, cache_control: { type: 'ephemeral' } })), messages: [{ role: 'user', content: 'a' }] },
        /A maximum of 4 blocks with cache_control may be provided\. Found 5\./,
      ],
      [
        'a 1h entry after a 5m one',
        {
          system: [
            { type: 'text', text: 'a', cache_control: { type: 'ephemeral' } },
            { type: 'text', text: 'b', cache_control: { type: 'ephemeral', ttl: '1h' } },
          ],
          messages: [{ role: 'user', content: 'a' }],
        },
        /ttl=.+1h.+ cache entry must come before/,
      ],
      [
        'a modified thinking block',
        {
          messages: [
            { role: 'user', content: 'a' },
            {
              role: 'assistant',
              content: [
                { type: 'thinking', thinking: 'edited', signature: 'c2lnbmF0dXJl' },
                { type: 'text', text: 'x' },
              ],
            },
            { role: 'user', content: 'b' },
          ],
        },
        /Invalid `signature` in `thinking` block/,
      ],
      ['manual thinking on a model that only takes adaptive', { thinking: { type: 'enabled', budget_tokens: 2000 }, messages: [{ role: 'user', content: 'a' }] }, /Use thinking\.type\.adaptive/],
      [
        'forced tool choice with manual thinking',
        {
          model: 'claude-haiku-4-5',
          thinking: { type: 'enabled', budget_tokens: 2000 },
          tools: [{ name: 't', input_schema: { type: 'object' } }],
          tool_choice: { type: 'tool', name: 't' },
          messages: [{ role: 'user', content: 'a' }],
        },
        /Thinking may not be enabled when tool_choice forces tool use/,
      ],
      ['a bad tool name', { tools: [{ name: 'has.dot', input_schema: { type: 'object' } }], messages: [{ role: 'user', content: 'a' }] }, /String should match pattern/],
    ];
    let shared: FakeAnthropic;
    before(async () => (shared = await FakeAnthropic.start()));
    after(async () => shared.close());
    for (const [name, body, message] of cases) {
      it(name, async () => {
        const err = await client(shared)
          .messages.create({ model: MODEL, max_tokens: 3000, ...body } as unknown as Anthropic.MessageCreateParamsNonStreaming)
          .then(
            () => assert.fail('accepted'),
            (e: unknown) => e,
          );
        assert.ok(err instanceof Anthropic.BadRequestError, String(err));
        assert.equal(err.type, 'invalid_request_error');
        assert.match(err.message, message);
        assert.match(err.requestID ?? '', /^req_emu_/);
      });
    }
  });

  it('answers a wrong key with 401 authentication_error', async () => {
    server = await FakeAnthropic.start({ apiKey: 'sk-ant-right' });
    await assert.rejects(client(server).messages.create({ model: MODEL, max_tokens: 10, messages: [{ role: 'user', content: 'a' }] }), Anthropic.AuthenticationError);
    assert.ok(!JSON.stringify(server.requests).includes(TEST_API_KEY), 'recorded requests never hold the key');
    assert.ok(Object.values(server.requests[0]!.headers).includes('[redacted]'));
  });

  it('answers a body that is not JSON, or JSON that is not an object, with 400 invalid_request_error', async () => {
    server = await FakeAnthropic.start();
    for (const [body, message] of [
      ['{', /not valid JSON/],
      ['[]', /must be a JSON object/],
      ['42', /must be a JSON object/],
      ['null', /must be a JSON object/],
    ] as const) {
      const res = await fetch(`${server.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': TEST_API_KEY, 'content-type': 'application/json' }, body });
      assert.equal(res.status, 400, body);
      const { error } = (await res.json()) as { error: { type: string; message: string } };
      assert.equal(error.type, 'invalid_request_error', body);
      assert.match(error.message, message, body);
      assert.equal(server.requests.at(-1)!.body, undefined, `${body}: not recorded as a request body`);
    }
  });

  describe('prompt caching emulation', () => {
    const request = (extra: Record<string, unknown> = {}) => ({
      model: MODEL,
      max_tokens: 100,
      system: [{ type: 'text' as const, text: LONG_SYSTEM, cache_control: { type: 'ephemeral' as const } }],
      messages: [{ role: 'user' as const, content: 'What is burning?' }],
      ...extra,
    });

    it('the same prompt ten times: one cache write, nine reads', async () => {
      server = await FakeAnthropic.start();
      const sdk = client(server);
      const usages = [];
      for (let i = 0; i < 10; i++) usages.push((await sdk.messages.create(request())).usage);
      assert.ok(usages[0]!.cache_creation_input_tokens! > 1024);
      assert.equal(usages[0]!.cache_read_input_tokens, 0);
      for (const u of usages.slice(1)) {
        assert.equal(u.cache_creation_input_tokens, 0);
        assert.equal(u.cache_read_input_tokens, usages[0]!.cache_creation_input_tokens);
        assert.equal(u.input_tokens, usages[0]!.input_tokens, 'only what follows the breakpoint is uncached');
      }
    });

    it('does not cache a prefix shorter than the model minimum', async () => {
      server = await FakeAnthropic.start();
      const sdk = client(server);
      const short = request({ system: [{ type: 'text', text: 'Short.', cache_control: { type: 'ephemeral' } }] });
      await sdk.messages.create(short);
      const second = await sdk.messages.create(short);
      assert.equal(second.usage.cache_creation_input_tokens, 0);
      assert.equal(second.usage.cache_read_input_tokens, 0);
    });

    it('expires entries after the TTL, refreshes them on a hit, and keeps 1-hour entries longer', async () => {
      let now = 0;
      server = await FakeAnthropic.start({ now: () => now });
      const sdk = client(server);
      await sdk.messages.create(request());
      now += 4 * 60_000;
      assert.ok((await sdk.messages.create(request())).usage.cache_read_input_tokens! > 0, 'hit at 4 min');
      now += 4 * 60_000;
      assert.ok((await sdk.messages.create(request())).usage.cache_read_input_tokens! > 0, 'hit at 8 min: the first hit refreshed the TTL');
      now += 6 * 60_000;
      const expired = await sdk.messages.create(request());
      assert.equal(expired.usage.cache_read_input_tokens, 0, 'miss 6 min after the last hit');
      assert.equal(expired.usage.cache_creation?.ephemeral_5m_input_tokens, expired.usage.cache_creation_input_tokens);

      server.cache.clear();
      const hour = request({ system: [{ type: 'text', text: LONG_SYSTEM, cache_control: { type: 'ephemeral', ttl: '1h' } }] });
      const written = await sdk.messages.create(hour);
      assert.equal(written.usage.cache_creation?.ephemeral_1h_input_tokens, written.usage.cache_creation_input_tokens);
      now += 50 * 60_000;
      assert.ok((await sdk.messages.create(hour)).usage.cache_read_input_tokens! > 0, '1h entry still there after 50 min');
    });

    it('misses an earlier entry more than 20 blocks before the breakpoint', async () => {
      server = await FakeAnthropic.start();
      const sdk = client(server);
      const turns = (n: number) =>
        Array.from({ length: n }, (_, i) => [
          { role: 'assistant' as const, content: [{ type: 'tool_use' as const, id: `toolu_${i}`, name: 't', input: {} }] },
          { role: 'user' as const, content: [{ type: 'tool_result' as const, tool_use_id: `toolu_${i}`, content: `result ${i}` }] },
        ]).flat();
      const withTail = (extra: number) => {
        const messages = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'go' }] }, ...turns(extra)];
        const last = messages.at(-1)!;
        last.content = [{ ...last.content[0]!, cache_control: { type: 'ephemeral' } } as never];
        return { model: MODEL, max_tokens: 100, system: LONG_SYSTEM, tools: [{ name: 't', input_schema: { type: 'object' as const } }], messages };
      };
      const base = await sdk.messages.create(withTail(1));
      assert.ok(base.usage.cache_creation_input_tokens! > 0);
      const near = await sdk.messages.create(withTail(5)); // 8 blocks later: within reach
      assert.equal(near.usage.cache_read_input_tokens, base.usage.cache_creation_input_tokens);
      server.cache.clear();
      await sdk.messages.create(withTail(1));
      const far = await sdk.messages.create(withTail(12)); // 22 blocks later: out of reach
      assert.equal(far.usage.cache_read_input_tokens, 0);
    });
  });

  describe('fault injection', () => {
    const ask = (sdk: Anthropic) => sdk.messages.stream({ model: MODEL, max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();

    it('429 with retry-after, honoured by the SDK retry', async () => {
      server = await FakeAnthropic.start();
      server.injectFault({ kind: 'http', status: 429, type: 'rate_limit_error', retryAfterSeconds: 1 });
      const t0 = Date.now();
      const message = await ask(client(server, { maxRetries: 1 }));
      assert.equal(message.stop_reason, 'end_turn');
      assert.ok(Date.now() - t0 >= 900, 'waited for retry-after');
      assert.deepEqual(
        server.requests.map((r) => r.status),
        [429, 200],
      );
    });

    for (const [status, type, cls] of [
      [529, 'overloaded_error', Anthropic.InternalServerError],
      [500, 'api_error', Anthropic.InternalServerError],
    ] as const) {
      it(`${status} ${type} with the API's error body`, async () => {
        server = await FakeAnthropic.start();
        server.injectFault({ kind: 'http', status, type });
        const err = await ask(client(server)).catch((e: unknown) => e);
        assert.ok(err instanceof cls);
        assert.equal((err as InstanceType<typeof Anthropic.APIError>).status, status);
        assert.equal((err as InstanceType<typeof Anthropic.APIError>).type, type);
      });
    }

    it('an error event mid-stream', async () => {
      server = await FakeAnthropic.start({ scenario: scriptedTurns([{ content: [{ type: 'text', text: 'a long answer that is cut' }] }]) });
      server.injectFault({ kind: 'stream_error', afterEvents: 4 });
      const err = await ask(client(server)).catch((e: unknown) => e);
      assert.ok(err instanceof Anthropic.APIError);
      assert.equal(err.type, 'overloaded_error');
      assert.equal(err.status, undefined, 'an SSE error has no HTTP status');
    });

    it('a connection dropped mid-stream, and a clean end without message_stop', async () => {
      server = await FakeAnthropic.start({ scenario: scriptedTurns([{ content: [{ type: 'text', text: 'a long answer that is cut' }] }]) });
      server.injectFault({ kind: 'drop', afterEvents: 4 }, { kind: 'eof', afterEvents: 4 });
      const sdk = client(server);
      await assert.rejects(ask(sdk), /terminated/);
      await assert.rejects(ask(sdk), /stream ended without producing a Message/);
    });

    it('a slow first byte trips the SDK timeout; a stall after the headers does not (hence a watchdog)', async () => {
      server = await FakeAnthropic.start();
      server.injectFault({ kind: 'slow_headers', ms: 600 });
      await assert.rejects(ask(client(server, { timeout: 200 })), Anthropic.APIConnectionTimeoutError);
      server.injectFault({ kind: 'stall', afterEvents: 3, ms: 600 });
      const t0 = Date.now();
      await ask(client(server, { timeout: 200 }));
      assert.ok(Date.now() - t0 >= 550, 'the SDK timeout covers only the headers');
    });
  });
});

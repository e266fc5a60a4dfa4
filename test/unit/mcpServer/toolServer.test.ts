import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { createToolServer } from '../../../src/mcpServer/toolServer';
import { redactorFor } from '../../../src/security/knownSecrets';
import { DEFAULT_RESULT_BUDGET_CHARS, ToolRegistry, defineTool, type ToolSpec } from '../../../src/tools/registry';

/** A value no secret pattern recognises: only masking by value can catch it. */
const HELD_SECRET = 'plain-looking-gateway-value-4471';

/**
 * The server's wiring of MCP to our registry, through the SDK's own client on an in-memory pair:
 * what a call's failure, slowness, size or cancellation turns into on the other agent's side.
 */
describe('createToolServer: our registry behind the MCP SDK server', () => {
  const started: { client: Client; close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const s of started.splice(0)) await s.close();
  });

  let seenSignal: AbortSignal | undefined;
  beforeEach(() => (seenSignal = undefined));
  let released: (() => void) | undefined;
  const tools = [
    defineTool({
      name: 'echo_lines',
      description: 'Returns `count` numbered lines.',
      input: z.object({ count: z.number().int().min(1) }),
      risk: 'read-only',
      run: async ({ count }) => ({ text: Array.from({ length: count }, (_, i) => `line ${i + 1} ${'x'.repeat(40)}`).join('\n') }),
    }),
    defineTool({
      name: 'leak_in_error',
      description: 'Fails with a message that quotes a held secret.',
      input: z.object({}),
      risk: 'read-only',
      run: async () => {
        throw new Error(`upstream said: bad token ${HELD_SECRET}`);
      },
    }),
    defineTool({
      name: 'wait_for_abort',
      description: 'Never answers on its own; settles when its signal aborts.',
      input: z.object({}),
      risk: 'read-only',
      run: (_input, ctx) => {
        seenSignal = ctx.signal;
        return new Promise((_resolve, reject) => {
          released = () => reject(new Error('released'));
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error), { once: true });
        });
      },
    }),
  ] as ToolSpec[];

  async function connect(options: { timeoutMs?: number; openWorld?: string[] } = {}) {
    const redact = redactorFor([HELD_SECRET]);
    const registry = new ToolRegistry(tools, { redact });
    const server = createToolServer(registry, { workspaceRoots: ['/nonexistent'], timeoutMs: options.timeoutMs ?? 5_000, redact, openWorld: new Set(options.openWorld ?? []), version: '0.0.0-test' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: 'test', version: '1.0.0' });
    await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
    const handle = {
      client,
      registry,
      server,
      close: async () => {
        released?.();
        await client.close();
        await server.close();
      },
    };
    started.push(handle);
    return handle;
  }

  /** The signal of the wait_for_abort call the test just made, once the tool has started. */
  async function toolStarted(): Promise<AbortSignal> {
    for (let i = 0; i < 200; i++) {
      await new Promise((r) => setTimeout(r, 5));
      if (seenSignal) return seenSignal;
    }
    throw new Error('wait_for_abort did not start');
  }

  const textOf = (result: unknown) => (result as CallToolResult).content.map((c) => (c.type === 'text' ? c.text : `<${c.type}>`)).join('\n');

  it("lists the registry's definitions in its order, marked read-only, open-world only where told", async () => {
    const { client, registry } = await connect({ openWorld: ['leak_in_error'] });
    const { tools: listed } = await client.listTools();
    assert.deepEqual(
      listed.map((t) => [t.name, t.description, t.inputSchema]),
      registry.definitions().map((d) => [d.name, d.description, d.input_schema]),
    );
    assert.deepEqual(
      listed.map((t) => [t.name, t.annotations?.readOnlyHint, t.annotations?.destructiveHint, t.annotations?.openWorldHint]),
      [
        ['echo_lines', true, false, false],
        ['leak_in_error', true, false, true],
        ['wait_for_abort', true, false, false],
      ],
    );
  });

  it("cuts a large result at the registry's budget and says what was cut", async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: 'echo_lines', arguments: { count: 2_000 } });
    assert.equal(result.isError, undefined);
    const text = textOf(result);
    assert.ok(text.length < DEFAULT_RESULT_BUDGET_CHARS + 200, `${text.length} characters`);
    assert.match(text, /^line 1 x+\n/);
    assert.match(text, /\[output cut to [\d,]+ of [\d,]+ characters; [\d,]+ more lines omitted — narrow the request to see them\]$/);
  });

  it('answers bad arguments with an isError result that says how to fix them, without running the tool', async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: 'echo_lines', arguments: { count: 'many' } });
    assert.equal(result.isError, true);
    assert.match(textOf(result), /^Invalid arguments for echo_lines:\n[\s\S]*count[\s\S]*Fix the arguments and call echo_lines again\.$/);
    const unknown = await client.callTool({ name: 'write_file', arguments: {} });
    assert.equal(unknown.isError, true);
    assert.match(textOf(unknown), /^Unknown tool "write_file"\. Available tools: echo_lines, leak_in_error, wait_for_abort\.$/);
  });

  it('redacts a failure message like a result: a held secret is masked by value', async () => {
    const { client } = await connect();
    const result = await client.callTool({ name: 'leak_in_error', arguments: {} });
    assert.equal(result.isError, true);
    assert.equal(textOf(result), 'leak_in_error failed: upstream said: bad token [REDACTED:credential]');
  });

  it('times a call out after the configured time, as an isError result with advice', async () => {
    const { client } = await connect({ timeoutMs: 200 });
    const started = performance.now();
    const result = await client.callTool({ name: 'wait_for_abort', arguments: {} });
    assert.ok(performance.now() - started < 3_000);
    assert.equal(result.isError, true);
    assert.match(textOf(result), /^wait_for_abort timed out after 0\.2 s\. Narrow the request/);
    assert.equal(seenSignal?.aborted, true, "the tool's own signal was aborted, so it stops its work");
  });

  it("aborts the tool's signal when the other agent cancels the request", async () => {
    const { client } = await connect();
    const cancel = new AbortController();
    const call = client.callTool({ name: 'wait_for_abort', arguments: {} }, undefined, { signal: cancel.signal });
    const signal = await toolStarted();
    cancel.abort(new Error('the user moved on'));
    await assert.rejects(call, /the user moved on/);
    // notifications/cancelled travels to the server, which aborts the handler's signal.
    for (let i = 0; i < 100 && !signal.aborted; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(signal.aborted, true);
  });

  it("aborts a running call's signal when the connection closes", async () => {
    const { client, server } = await connect();
    const call = client.callTool({ name: 'wait_for_abort', arguments: {} }).then(
      () => 'answered',
      (err: Error) => err.message,
    );
    const signal = await toolStarted();
    await server.close();
    assert.equal(signal.aborted, true);
    assert.match(await call, /Connection closed/);
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { redactorFor } from '../../../src/security/knownSecrets';
import { MAX_MCP_TOOLS, parseMcpConfig } from '../../../src/tools/mcp/mcpConfig';
import { McpHub } from '../../../src/tools/mcp/mcpHub';
import { ToolRegistry, type ApprovalRequest, type ToolCallOutcome } from '../../../src/tools/registry';
import { EVERYTHING, FILESYSTEM } from '../../fixtures/mcpServers';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('MCP servers as tool sources (McpHub, against the reference servers)', function () {
  this.timeout(60_000);
  let dir: string;
  let hub: McpHub;
  let registry: ToolRegistry;
  const TOKEN = 'mcp-token-4f9a1c77e2b84d0c9e1f';
  const approvals: ApprovalRequest[] = [];
  const run = async (name: string, input: unknown, options: { approve?: boolean; timeoutMs?: number } = {}): Promise<ToolCallOutcome> => {
    const prepared = registry.prepare(name, input);
    if (!prepared.ok) return { ok: false, content: prepared.content, durationMs: 0 };
    return registry.run(
      prepared.call,
      { workspaceRoots: [dir], signal: new AbortController().signal },
      {
        timeoutMs: options.timeoutMs ?? 20_000,
        ...(options.approve !== undefined ? { approve: async (call) => (approvals.push(call), options.approve!) } : {}),
        redact: redactorFor(hub.secrets),
      },
    );
  };

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'triage-mcp-'));
    await writeFile(path.join(dir, 'db.env'), 'DB_HOST=db.internal\nDB_PASSWORD=Hunter2-Very-Secret-Value-99\n');
    await writeFile(path.join(dir, 'huge.log'), `${'2026-11-20T14:05:01Z INFO a line of a very large log\n'.repeat(6000)}`);
    process.env.TEST_MCP_TOKEN = TOKEN;
    const config = parseMcpConfig(
      {
        servers: {
          fs: { command: process.execPath, args: [FILESYSTEM, dir] },
          everything: { command: process.execPath, args: [EVERYTHING], env: { API_TOKEN: '${env:TEST_MCP_TOKEN}' } },
          broken: { command: path.join(dir, 'no-such-program') },
        },
      },
      'test',
    );
    hub = await McpHub.start(config, { resolveSecret: async ({ kind, name }) => (kind === 'env' ? process.env[name] : undefined) });
    registry = new ToolRegistry(hub.tools, { unavailable: (name) => hub.unavailable(name) });
  });
  after(async () => {
    await hub?.close();
    delete process.env.TEST_MCP_TOKEN;
    await rm(dir, { recursive: true, force: true });
  });

  it("offers each server's tools as mcp__<server>__<tool>, servers and tools in name order, the same bytes every time", async () => {
    const names = hub.tools.map((t) => t.name);
    assert.ok(names.includes('mcp__everything__echo') && names.includes('mcp__fs__read_text_file'), names.join(' '));
    assert.deepEqual(names, [...names].sort());
    assert.ok(names.indexOf('mcp__everything__echo') < names.indexOf('mcp__fs__read_text_file'));
    const again = await McpHub.start(parseMcpConfig({ mcpServers: { everything: { command: process.execPath, args: [EVERYTHING], env: { API_TOKEN: '${env:TEST_MCP_TOKEN}' } } } }, 'again'), {
      resolveSecret: async ({ name }) => process.env[name],
    });
    try {
      const mine = JSON.stringify(registry.definitions().filter((d) => d.name.startsWith('mcp__everything__')));
      assert.equal(JSON.stringify(new ToolRegistry(again.tools).definitions()), mine);
      assert.match(mine, /"description":"\[MCP server \\"everything\\"\] Echoes back the input/);
    } finally {
      await again.close();
    }
  });

  it('says which server did not start, and tells the model so when it calls one of its tools', async () => {
    assert.equal(hub.problems.length, 1, hub.problems.join('\n'));
    assert.match(hub.problems[0]!, /^MCP server "broken" did not start: spawn .*no-such-program ENOENT\. Its tools are not offered in this run\.$/);
    const called = await run('mcp__broken__anything', {});
    assert.equal(called.ok, false);
    assert.match(called.content, /mcp__broken__anything cannot be called: the MCP server "broken" is not available in this run/);
  });

  it("runs a read-only tool at once, and checks its arguments against the server's schema first", async () => {
    const echoed = await run('mcp__everything__echo', { message: 'hello from the test' });
    assert.deepEqual([echoed.ok, echoed.content], [true, 'Echo: hello from the test']);
    const invalid = await run('mcp__everything__echo', { text: 'wrong key' });
    assert.equal(invalid.ok, false);
    assert.match(invalid.content, /Invalid arguments for mcp__everything__echo:[\s\S]*does not match the tool's input schema: .*message/);
  });

  it('asks before a tool not marked read-only, shows its hints, and refuses it when nobody says yes', async () => {
    const target = path.join(dir, 'written.txt');
    const refused = await run('mcp__fs__write_file', { path: target, content: 'x' });
    assert.equal(refused.ok, false);
    assert.match(refused.content, /did not approve running mcp__fs__write_file/);
    const denied = await run('mcp__fs__write_file', { path: target, content: 'x' }, { approve: false });
    assert.equal(denied.ok, false);
    await assert.rejects(readFile(target), /ENOENT/);
    const allowed = await run('mcp__fs__write_file', { path: target, content: 'written with approval' }, { approve: true });
    assert.equal(allowed.ok, true, allowed.content);
    assert.equal(await readFile(target, 'utf8'), 'written with approval');
    assert.equal(approvals.at(-1)!.name, 'mcp__fs__write_file');
    assert.equal(approvals.at(-1)!.annotations?.destructiveHint, true);
  });

  it('redacts a secret in a result, bounds a huge one, and passes a server error on as an error', async () => {
    const secret = await run('mcp__fs__read_text_file', { path: path.join(dir, 'db.env') });
    assert.equal(secret.ok, true);
    assert.ok(!secret.content.includes('Hunter2-Very-Secret-Value-99'), secret.content);
    assert.match(secret.content, /DB_HOST=db\.internal/);
    assert.match(secret.content, /DB_PASSWORD=\[REDACTED/);
    const huge = await run('mcp__fs__read_text_file', { path: path.join(dir, 'huge.log') });
    assert.equal(huge.ok, true);
    assert.ok(huge.content.length < 8_500, String(huge.content.length));
    assert.match(huge.content, /\[output cut to [\d,]+ of [\d,]+ characters; [\d,]+ more lines omitted/);
    const outside = await run('mcp__fs__read_text_file', { path: '/etc/passwd' });
    assert.equal(outside.ok, false);
    assert.match(outside.content, /^mcp__fs__read_text_file failed: .*(denied|outside)/i);
  });

  it('gives a server its own environment and references, never ours, and masks what the references resolved to', async () => {
    process.env.ANTHROPIC_API_KEY = 'sk-ant-api03-not-for-mcp-servers-0123456789abcdef';
    try {
      const restarted = await McpHub.start(parseMcpConfig({ servers: { env: { command: process.execPath, args: [EVERYTHING], env: { API_TOKEN: '${env:TEST_MCP_TOKEN}' } } } }, 'env'), {
        resolveSecret: async ({ name }) => process.env[name],
      });
      try {
        const env = new ToolRegistry(restarted.tools, { redact: redactorFor(restarted.secrets) });
        const prepared = env.prepare('mcp__env__get-env', {});
        assert.ok(prepared.ok);
        const out = await env.run(prepared.call, { workspaceRoots: [dir], signal: new AbortController().signal }, { timeoutMs: 20_000 });
        assert.equal(out.ok, true);
        assert.ok(!out.content.includes('sk-ant-api03'), 'our API key reached the server');
        assert.ok(!out.content.includes(TOKEN), 'the resolved token reached the model');
        assert.match(out.content, /"API_TOKEN": "\[REDACTED/);
      } finally {
        await restarted.close();
      }
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
    }
  });

  it('times a hanging call out, and the server goes on serving', async () => {
    const slow = await run('mcp__everything__trigger-long-running-operation', { duration: 20, steps: 4 }, { timeoutMs: 1000 });
    assert.equal(slow.ok, false);
    assert.match(slow.content, /timed out after 1 s/);
    assert.equal((await run('mcp__everything__echo', { message: 'still here' })).content, 'Echo: still here');
  });

  it('answers the calls of a server that crashed mid-run with an error, and the other server still works', async () => {
    const pid = hub.pids()[1]!;
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    const names = ['mcp__everything__echo', 'mcp__fs__list_allowed_directories'];
    const results = await Promise.all(names.map((name) => run(name, name.endsWith('echo') ? { message: 'after the crash' } : {})));
    const failed = results.filter((r) => !r.ok);
    assert.equal(failed.length, 1, JSON.stringify(results));
    assert.match(failed[0]!.content, /is not running \(it exited/);
  });

  it('refuses a server whose tools would pass the cap, and stops every server process on close', async () => {
    const many = await McpHub.start(parseMcpConfig({ servers: Object.fromEntries(['e1', 'e2', 'e3', 'e4'].map((name) => [name, { command: process.execPath, args: [EVERYTHING] }])) }, 'many'), {
      resolveSecret: async () => undefined,
    });
    const pids = many.pids();
    try {
      assert.ok(many.tools.length <= MAX_MCP_TOOLS, String(many.tools.length));
      assert.equal(many.problems.length, 1, many.problems.join('\n'));
      assert.match(many.problems[0]!, /^MCP server "e4" left out: it offers \d+ tools and the run takes 40 MCP tools at most/);
    } finally {
      await many.close();
    }
    assert.ok(pids.length >= 3);
    for (const pid of pids) assert.equal(alive(pid), false, `server process ${pid} is still running`);
  });
});

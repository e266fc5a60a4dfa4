import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BUILT_CLI, assertFreshBuild } from '../fixtures/cliProcess';
import { writeFiles } from '../fixtures/workspace';

interface JsonRpcMessage {
  jsonrpc: string;
  id?: number;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

/**
 * `incident-triage mcp` on a raw pipe, as an agent's host starts it: stdout carries protocol
 * messages and nothing else, and the process ends by itself, with exit code 0, when its stdin
 * closes or it is sent SIGINT or SIGTERM. (The SDK client's close() would send SIGTERM, then
 * SIGKILL, to a server that ignored its stdin closing; here nobody does.)
 */
describe('incident-triage mcp as a process on stdio', function () {
  this.timeout(60_000);
  let workspace: string;

  before(async () => {
    assertFreshBuild();
    workspace = await mkdtemp(path.join(os.tmpdir(), 'triage-mcp-life-'));
    await writeFiles(workspace, { 'logs/app.log': '2026-11-20T14:00:00Z ERROR payment declined\n' });
  });
  after(() => rm(workspace, { recursive: true, force: true }));

  it('writes only JSON-RPC messages to stdout and exits 0 when its stdin closes', async () => {
    const server = startServer(workspace);
    // A client's first bytes can be anything: a line that is not JSON-RPC must not stop the server or print anything.
    server.child.stdin.write('this is not json\n');
    server.child.stdin.write('{"jsonrpc": "2.0", "id": "x", "method": 42}\n');
    const init = await server.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } });
    assert.equal((init.result?.serverInfo as { name: string }).name, 'incident-triage');
    assert.deepEqual(Object.keys(init.result?.capabilities ?? {}), ['tools']);
    server.notify('notifications/initialized');
    const listed = await server.request('tools/list', {});
    assert.equal((listed.result?.tools as unknown[]).length, 7);
    const found = await server.request('tools/call', { name: 'search_logs', arguments: { query: 'payment declined' } });
    assert.match(JSON.stringify(found.result), /logs\/app\.log.*payment declined/);

    server.child.stdin.end();
    const exit = await server.exited;
    assert.deepEqual(exit, { code: 0, signal: null }, server.stderr());
    // Every line the server wrote is a JSON-RPC message; the ones with our ids answer our requests.
    const lines = server.stdout().split('\n').filter(Boolean);
    for (const line of lines) assert.equal((JSON.parse(line) as JsonRpcMessage).jsonrpc, '2.0', line);
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as JsonRpcMessage).id).filter((id) => typeof id === 'number'),
      [1, 2, 3],
    );
    // What was skipped is said on stderr, where the agent's host logs it.
    assert.match(server.stderr(), /^incident-triage mcp: skipped a line that is not JSON \(.*\)$/m);
    assert.match(server.stderr(), /^incident-triage mcp: skipped a message that is not a JSON-RPC 2.0 request, notification or response$/m);
    assert.doesNotMatch(server.stderr(), /unexpected failure|Unhandled|at .*\(.*\.js:\d+/);
  });

  it('exits 0 at once when its stdin is closed from the start', async () => {
    const server = startServer(workspace);
    server.child.stdin.end();
    assert.deepEqual(await server.exited, { code: 0, signal: null }, server.stderr());
    assert.equal(server.stdout(), '');
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`exits 0 on ${signal} while a client is connected`, async () => {
      const server = startServer(workspace);
      await server.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } });
      server.child.kill(signal);
      assert.deepEqual(await server.exited, { code: 0, signal: null }, server.stderr());
    });
  }
});

function startServer(workspace: string) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BUILT_CLI, 'mcp', '--workspace', workspace], { env: { PATH: process.env.PATH ?? '' }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  let nextId = 1;
  const waiting = new Map<number, (message: JsonRpcMessage) => void>();
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const complete = (stdout + chunk).split('\n').slice(stdout.split('\n').length - 1, -1);
    stdout += chunk;
    for (const line of complete) {
      const message = JSON.parse(line) as JsonRpcMessage;
      if (typeof message.id === 'number') waiting.get(message.id)?.(message);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`incident-triage mcp did not exit within 10 s\nstderr:\n${stderr}`));
    }, 10_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
  return {
    child,
    exited,
    stdout: () => stdout,
    stderr: () => stderr,
    request(method: string, params: unknown): Promise<JsonRpcMessage> {
      const id = nextId++;
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      return new Promise((resolve, reject) => {
        waiting.set(id, resolve);
        void exited.then(() => reject(new Error(`the server exited before answering ${method}\nstderr:\n${stderr}`)));
      });
    },
    notify(method: string): void {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method })}\n`);
    },
  };
}

import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createToolRegistry } from '../../src/engine/toolRegistry';
import { BUILT_CLI, assertFreshBuild } from '../fixtures/cliProcess';
import { writeFiles } from '../fixtures/workspace';

const ROOT = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const SECRET = 'Hunter2-Server-Side-Secret-77';
const OURS = ['list_log_files', 'summarize_log', 'compare_log_windows', 'search_logs', 'read_log', 'query_metrics', 'get_recent_deploys'];

/**
 * `incident-triage mcp` as other agents reach it: the official SDK client over stdio, the
 * Inspector CLI, and the official conformance suite over streamable HTTP — all against the built
 * CLI, on a workspace with a planted line, a planted secret and a file outside it.
 */
describe('the built CLI as an MCP server (incident-triage mcp)', function () {
  this.timeout(120_000);
  let workspace: string;
  let outside: string;

  before(async () => {
    assertFreshBuild();
    workspace = await mkdtemp(path.join(os.tmpdir(), 'triage-mcp-server-'));
    outside = await mkdtemp(path.join(os.tmpdir(), 'triage-mcp-outside-'));
    const lines = Array.from({ length: 3000 }, (_, i) => `2026-11-20T14:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z INFO request ${i} served`);
    lines[1234] = `2026-11-20T14:20:34Z ERROR HikariPool-1 - Connection is not available, DB_PASSWORD=${SECRET}`;
    await writeFiles(workspace, { 'logs/app.log': `${lines.join('\n')}\n` });
    await writeFiles(outside, { 'secret.log': `2026-11-20T14:00:00Z ERROR outside the workspace\n` });
  });
  after(async () => {
    await rm(workspace, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('serves our read-only tools to the SDK client over stdio: schemas as our model sees them, confinement, redaction, bounds, errors; and exits when the client leaves', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BUILT_CLI, 'mcp', '--workspace', workspace], stderr: 'pipe', env: { PATH: process.env.PATH ?? '' } });
    const client = new Client({ name: 'test', version: '1.0.0' });
    await client.connect(transport);
    const pid = transport.pid!;
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.map((t) => t.name),
        OURS,
      );
      const ours = createToolRegistry().definitions();
      for (const tool of tools) {
        assert.deepEqual(tool.inputSchema, ours.find((d) => d.name === tool.name)!.input_schema, tool.name);
        assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
        assert.equal(tool.annotations?.destructiveHint, false, tool.name);
      }
      const found = await client.callTool({ name: 'search_logs', arguments: { query: 'HikariPool' } });
      assert.equal(found.isError, undefined);
      assert.match(text(found), /logs\/app\.log[\s\S]*1235: .*HikariPool-1 - Connection is not available, DB_PASSWORD=\[REDACTED/);
      assert.ok(!text(found).includes(SECRET), 'the secret left the server');

      // Valid arguments, so that the refusal comes from the confinement and not from the schema.
      const escaped = await client.callTool({ name: 'read_log', arguments: { file: path.join(outside, 'secret.log'), start_line: 1, end_line: 1 } });
      assert.equal(escaped.isError, true);
      assert.match(text(escaped), /^read_log failed: Refused: ".*secret\.log" resolves outside the workspace\./);
      assert.ok(!text(escaped).includes('ERROR outside the workspace'), text(escaped));
      const climbed = await client.callTool({ name: 'read_log', arguments: { file: `../${path.basename(outside)}/secret.log`, start_line: 1, end_line: 1 } });
      assert.equal(climbed.isError, true);
      assert.match(text(climbed), /resolves outside the workspace/);

      const invalid = await client.callTool({ name: 'read_log', arguments: { file: 'logs/app.log', around_line: 'twelve' } });
      assert.equal(invalid.isError, true);
      assert.match(text(invalid), /Invalid arguments for read_log/);

      const everything = await client.callTool({ name: 'search_logs', arguments: { query: 'served', limit: 200 } });
      assert.ok(text(everything).length < 8_600, String(text(everything).length));
      // Bounded, and says how much more there is and how to narrow it (search_logs bounds itself within the registry's budget).
      assert.match(text(everything).slice(-600), /2,999/);

      const unknown = await client.callTool({ name: 'submit_triage_report', arguments: {} });
      assert.equal(unknown.isError, true, 'the report tool is ours alone');
    } finally {
      await client.close();
    }
    await waitForExit(pid);
  });

  it('serves several --workspace folders as roots, and reads nothing outside all of them', async () => {
    const second = await mkdtemp(path.join(os.tmpdir(), 'triage-mcp-second-'));
    await writeFiles(second, { 'payments/pay.log': '2026-11-20T14:20:40Z ERROR payments: card processor timeout\n' });
    const client = await connectStdio(['--workspace', workspace, '--workspace', second]);
    try {
      const listed = text(await client.callTool({ name: 'list_log_files', arguments: {} }));
      assert.match(listed, /^2 log files/);
      assert.match(listed, /logs\/app\.log/);
      assert.match(listed, /payments\/pay\.log/);
      const read = await client.callTool({ name: 'read_log', arguments: { file: 'payments/pay.log', start_line: 1, end_line: 1 } });
      assert.equal(read.isError, undefined, text(read));
      assert.match(text(read), /card processor timeout/);
      const escaped = await client.callTool({ name: 'read_log', arguments: { file: path.join(outside, 'secret.log'), start_line: 1, end_line: 1 } });
      assert.equal(escaped.isError, true);
      assert.match(text(escaped), /resolves outside the workspace/);
    } finally {
      await client.close();
      await rm(second, { recursive: true, force: true });
    }
  });

  it('with --prometheus-url: query_metrics is marked open-world, sends the token, and the token never comes back (masked by value)', async () => {
    // A token of no known shape: only masking by value can catch it. The hostile Prometheus quotes back the header it got.
    const token = 'plain-looking-gateway-value-4471';
    const received: string[] = [];
    const prometheus = createServer((req, res) => {
      received.push(req.headers.authorization ?? '');
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: `query refused for ${req.headers.authorization}` }));
    });
    await new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}`;
    const client = await connectStdio(['--workspace', workspace, '--prometheus-url', url], { PROMETHEUS_BEARER_TOKEN: token });
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(
        tools.filter((t) => t.annotations?.openWorldHint).map((t) => t.name),
        ['query_metrics'],
      );
      const result = await client.callTool({ name: 'query_metrics', arguments: { service: 'payments', metric: 'error_rate', time_range_minutes: 30 } });
      assert.deepEqual(received, [`Bearer ${token}`]);
      assert.equal(result.isError, true);
      assert.match(text(result), /Prometheus rejected the query \(bad_data\): query refused for Bearer \[REDACTED:credential\]/);
      assert.ok(!text(result).includes(token));
    } finally {
      await client.close();
      await new Promise((resolve) => prometheus.close(resolve));
    }
  });

  it('answers the Inspector CLI: tools/list and a tools/call', async () => {
    // The Inspector CLI reads its own package.json relative to the working folder: it runs from its build folder.
    const inspector = path.join(ROOT, 'node_modules/@modelcontextprotocol/inspector-cli/build');
    const server = [process.execPath, BUILT_CLI, 'mcp', '--workspace', workspace];
    const listed = await run(process.execPath, ['index.js', ...server, '--method', 'tools/list'], { cwd: inspector });
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { tools: { name: string }[] }).tools.map((t) => t.name),
      OURS,
    );
    const called = await run(process.execPath, ['index.js', ...server, '--method', 'tools/call', '--tool-name', 'search_logs', '--tool-arg', 'query=HikariPool'], { cwd: inspector });
    const result = JSON.parse(called.stdout) as { content: { text: string }[]; isError?: boolean };
    assert.equal(result.isError, undefined);
    assert.match(result.content[0]!.text, /1235: .*DB_PASSWORD=\[REDACTED/);
  });

  it('passes the official conformance suite over streamable HTTP, but for the features a tools-only server does not have', async () => {
    const server = spawn(process.execPath, [BUILT_CLI, 'mcp', '--workspace', workspace, '--http', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let err = '';
        server.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          err += chunk;
          const found = /MCP server on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(err);
          if (found) resolve(found[1]!);
        });
        server.once('exit', (code) => reject(new Error(`mcp --http exited (${code}): ${err}`)));
      });
      const conformance = path.join(ROOT, 'node_modules/.bin/conformance');
      for (const scenario of ['server-initialize', 'ping', 'tools-list', 'tools-call-error', 'dns-rebinding-protection']) {
        const { stdout } = await run(conformance, ['server', '--url', url, '--scenario', scenario]);
        assert.match(stdout, /Passed: (\d+)\/\1, 0 failed/, `${scenario}:\n${stdout}`);
      }
      const baseline = path.join(ROOT, 'test/fixtures/mcp/conformance-expected-failures.yaml');
      const whole = await run(conformance, ['server', '--url', url, '--expected-failures', baseline]).catch((err: { stdout: string; code: number }) => err);
      assert.equal('code' in whole ? whole.code : 0, 0, whole.stdout.slice(-3000));
    } finally {
      server.kill('SIGINT');
      await waitForExit(server.pid!);
    }
  });
});

async function connectStdio(args: string[], env: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [BUILT_CLI, 'mcp', ...args], stderr: 'pipe', env: { PATH: process.env.PATH ?? '', ...env } }));
  return client;
}

const text = (result: Awaited<ReturnType<Client['callTool']>>) => (result.content as { text: string }[]).map((c) => c.text).join('\n');

async function waitForExit(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`process ${pid} did not exit within 5 s`);
}

import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FakeAnthropic } from '../fixtures/anthropic-server/server';
import { scriptedTurns, type ScriptedTurn } from '../fixtures/anthropic-server/scenario';
import { assertFreshBuild, printedEvents, spawnCli } from '../fixtures/cliProcess';
import { TEST_API_KEY } from '../fixtures/harness';
import { sampleReport } from '../fixtures/reports';
import { writeFiles } from '../fixtures/workspace';
import { EVERYTHING, FILESYSTEM } from '../fixtures/mcpServers';

/** Processes whose command line holds `marker` (a folder only this test's servers were given), read from /proc (no ps needed). */
function processesWith(marker: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((pid) => {
      try {
        return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`;
      } catch {
        return ''; // gone meanwhile
      }
    })
    .filter((line) => line.includes(marker));
}

/** A secret in a file an MCP server reads: it must not reach the model. */
const PLANTED = 'Planted-MCP-Secret-Value-4242';

const report: ScriptedTurn = { content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] };

/**
 * The built CLI with --mcp-config, against the API emulator and the reference MCP servers: what
 * the model is offered, what runs, what is refused without anyone to ask, what a crash does to
 * the run, and that no server process outlives the CLI.
 */
describe('MCP servers in the built CLI', function () {
  this.timeout(90_000);
  let workspace: string;
  let config: string;
  let server: FakeAnthropic;

  before(async () => {
    assertFreshBuild();
    workspace = await mkdtemp(path.join(os.tmpdir(), 'triage-mcp-cli-'));
    await writeFiles(workspace, {
      'logs/app.log': '2026-11-20T14:05:00.000Z ERROR pool exhausted after 3000ms\n',
      'config/db.env': `DB_HOST=db.internal\nDB_PASSWORD=${PLANTED}\n`,
      'big/dump.txt': 'a line of a very large MCP result\n'.repeat(10_000),
    });
    // Starts the reference server, then exits 2 s later, in the middle of the slow call the model makes.
    await writeFile(path.join(workspace, 'crashy.mjs'), `setTimeout(() => process.exit(3), 2000);\nawait import(${JSON.stringify(EVERYTHING)});\n`);
    config = path.join(workspace, 'mcp.json');
    await writeFile(
      config,
      JSON.stringify({
        servers: {
          everything: { command: process.execPath, args: [EVERYTHING] },
          fs: { command: process.execPath, args: [FILESYSTEM, workspace] },
          crashy: { command: process.execPath, args: [path.join(workspace, 'crashy.mjs')], tools: ['trigger-long-running-operation'] },
        },
      }),
    );
  });
  afterEach(async () => server?.close());
  after(async () => workspace && rm(workspace, { recursive: true, force: true }));

  const env = () => ({ ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: server.url, NO_COLOR: '1' });
  const triage = (extra: string[] = []) => spawnCli(['triage', '--workspace', workspace, '--json', '--mcp-config', config, ...extra, 'checkout fails since 14:05'], { env: env(), timeoutMs: 60_000 });
  const posts = () => server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages');
  /** The tool_result blocks of the last user message of a request, by the tool_use id they answer. */
  const resultsOf = (body: Record<string, unknown>) => {
    const messages = body.messages as { role: string; content: unknown }[];
    const last = messages.at(-1)!.content as { type: string; tool_use_id?: string; content?: unknown; is_error?: boolean }[];
    return last.filter((b) => b.type === 'tool_result');
  };

  it("offers the servers' tools after ours in the same bytes every step; runs the read-only ones with results redacted and bounded; refuses the others; times out a hanging one; survives a crash; leaves no server running", async () => {
    const target = path.join(workspace, 'notes.txt');
    server = await FakeAnthropic.start({
      scenario: scriptedTurns([
        {
          content: [
            { type: 'tool_use', name: 'mcp__everything__echo', input: { message: 'from the model' } },
            { type: 'tool_use', name: 'mcp__fs__write_file', input: { path: target, content: 'should not be written' } },
            { type: 'tool_use', name: 'mcp__everything__get-env', input: {} },
            { type: 'tool_use', name: 'mcp__fs__read_text_file', input: { path: path.join(workspace, 'config', 'db.env') } },
            { type: 'tool_use', name: 'mcp__fs__read_text_file', input: { path: path.join(workspace, 'big', 'dump.txt') } },
            { type: 'tool_use', name: 'mcp__everything__trigger-long-running-operation', input: { duration: 30, steps: 3 } },
          ],
        },
        { content: [{ type: 'tool_use', name: 'mcp__crashy__trigger-long-running-operation', input: { duration: 10, steps: 5 } }] },
        report,
      ]),
      chunkDelayMs: 1,
    });
    const run = await triage(['--tool-timeout', '3']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');

    const bodies = posts().map((r) => r.body!);
    assert.equal(bodies.length, 3);
    const tools = JSON.stringify(bodies[0]!.tools);
    for (const body of bodies) assert.equal(JSON.stringify(body.tools), tools, 'the tools are part of the cached prefix');
    const names = (bodies[0]!.tools as { name: string }[]).map((t) => t.name);
    assert.deepEqual(names.slice(names.indexOf('get_recent_deploys') + 1, names.indexOf('get_recent_deploys') + 2), ['mcp__crashy__trigger-long-running-operation']);
    assert.equal(names.at(-1), 'submit_triage_report');
    const mcp = names.filter((n) => n.startsWith('mcp__'));
    assert.deepEqual(mcp, [...mcp].sort());

    const [echo, write, env] = resultsOf(bodies[1]!);
    assert.match(JSON.stringify(echo!.content), /Echo: from the model/);
    assert.equal(write!.is_error, true);
    assert.match(JSON.stringify(write!.content), /did not approve running mcp__fs__write_file/);
    assert.equal(existsSync(target), false);
    assert.ok(!JSON.stringify(env!.content).includes(TEST_API_KEY), 'our API key reached an MCP server');
    const [, , , secret, huge, hanging] = resultsOf(bodies[1]!);
    assert.ok(!JSON.stringify(bodies[1]).includes(PLANTED), 'a secret from an MCP result reached the model');
    assert.match(JSON.stringify(secret!.content), /DB_HOST=db\.internal\\nDB_PASSWORD=\[REDACTED/);
    assert.ok(JSON.stringify(huge!.content).length < 9_500, 'a huge MCP result is bounded');
    assert.match(JSON.stringify(huge!.content), /output cut to [\d,]+ of [\d,]+ characters/);
    assert.equal(hanging!.is_error, true);
    assert.match(JSON.stringify(hanging!.content), /timed out after 3 s/);

    const [crashed] = resultsOf(bodies[2]!);
    assert.equal(crashed!.is_error, true);
    assert.match(JSON.stringify(crashed!.content), /mcp__crashy__trigger-long-running-operation failed/);

    const events = printedEvents(run.stdout);
    assert.equal(events.at(-1)!.type, 'run_finished');
    assert.deepEqual(processesWith(workspace), [], 'an MCP server outlived the CLI');
  });

  it('kills a server that ignores its closed stdin and SIGTERM when a second Ctrl-C quits at once (exit 130)', async () => {
    const stubborn = path.join(workspace, 'stubborn.mjs');
    await writeFile(stubborn, `process.on('SIGTERM', () => {});\nawait import(${JSON.stringify(EVERYTHING)});\nsetInterval(() => {}, 1000);\n`);
    const only = path.join(workspace, 'stubborn.json');
    await writeFile(only, JSON.stringify({ servers: { stubborn: { command: process.execPath, args: [stubborn] } } }));
    server = await FakeAnthropic.start({
      scenario: scriptedTurns([{ content: [{ type: 'tool_use', name: 'mcp__stubborn__trigger-long-running-operation', input: { duration: 30, steps: 3 } }] }, report]),
      chunkDelayMs: 1,
    });
    let signalled = false;
    const run = await spawnCli(['triage', '--workspace', workspace, '--json', '--mcp-config', only, 'checkout fails'], {
      env: env(),
      timeoutMs: 60_000,
      onLine: (line, child) => {
        if (!signalled && line.includes('"type":"tool_call_ready"')) {
          signalled = true;
          child.kill('SIGINT');
          setTimeout(() => child.kill('SIGINT'), 50);
        }
      },
    });
    assert.equal(run.code, 130, run.stderr);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(processesWith(stubborn), [], 'the stubborn server outlived the CLI');
  });

  it('runs a tool named with --allow-mcp-tool', async () => {
    const target = path.join(workspace, 'allowed.txt');
    server = await FakeAnthropic.start({
      scenario: scriptedTurns([{ content: [{ type: 'tool_use', name: 'mcp__fs__write_file', input: { path: target, content: 'written by the run' } }] }, report]),
      chunkDelayMs: 1,
    });
    const run = await triage(['--allow-mcp-tool', 'mcp__fs__write_file']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(existsSync(target), true);
    assert.deepEqual(processesWith(workspace), []);
  });

  it('says on stderr which server did not start, and runs on with the others', async () => {
    const broken = path.join(workspace, 'broken.json');
    await writeFile(broken, JSON.stringify({ mcpServers: { gone: { command: path.join(workspace, 'no-such-server') }, fs: { command: process.execPath, args: [FILESYSTEM, workspace] } } }));
    server = await FakeAnthropic.start({ scenario: scriptedTurns([report]), chunkDelayMs: 1 });
    const run = await spawnCli(['triage', '--workspace', workspace, '--json', '--mcp-config', broken, 'checkout fails'], { env: env(), timeoutMs: 60_000 });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^incident-triage: MCP server "gone" did not start: spawn .*no-such-server ENOENT\. Its tools are not offered in this run\.$/m);
    const names = (posts()[0]!.body!.tools as { name: string }[]).map((t) => t.name);
    assert.ok(names.includes('mcp__fs__read_text_file') && !names.some((n) => n.startsWith('mcp__gone__')));
  });

  it('refuses a configuration it cannot use before anything starts: exit 2 and why', async () => {
    server = await FakeAnthropic.start({ scenario: scriptedTurns([report]), chunkDelayMs: 1 });
    const plain = path.join(workspace, 'plain-secret.json');
    await writeFile(plain, JSON.stringify({ servers: { grafana: { url: 'https://grafana.example/mcp', headers: { Authorization: 'Bearer glsa_0123456789abcdef' } } } }));
    for (const [file, message] of [
      [plain, /servers\.grafana\.headers\.Authorization holds a secret in plain text/],
      [path.join(workspace, 'missing.json'), /--mcp-config: cannot read .*missing\.json as JSON/],
    ] as const) {
      const run = await spawnCli(['triage', '--workspace', workspace, '--mcp-config', file, 'x'], { env: env() });
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.ok(!run.stderr.includes('glsa_0123456789abcdef'));
    }
    assert.equal(posts().length, 0);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parseMcpConfig } from '../../src/tools/mcp/mcpConfig';
import { McpHub } from '../../src/tools/mcp/mcpHub';
import { assertFreshBuild } from '../fixtures/cliProcess';
import { writeFiles } from '../fixtures/workspace';

const ROOT = path.resolve(__dirname, '../..');
const OURS = ['list_log_files', 'summarize_log', 'compare_log_windows', 'search_logs', 'read_log', 'query_metrics', 'get_recent_deploys'];

/** The README's subsection on the MCP server, and the fenced blocks of one language in it. */
function readmeBlocks(language: 'sh' | 'json'): string[] {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### Lend our tools to other agents (MCP server)');
  assert.ok(start >= 0, 'README has no subsection "Lend our tools to other agents (MCP server)"');
  const section = readme.slice(start, readme.indexOf('\n### ', start + 1));
  return [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);
}

/**
 * The ways README tells users to add the server to Claude Code and to VS Code, run as written
 * with only the placeholder paths filled in: a snippet that drifts from what works fails here.
 */
describe('the README snippets that add incident-triage mcp to other agents', function () {
  this.timeout(60_000);
  let workspace: string;
  const fill = (text: string) => text.replaceAll('/path/to/incident-triage', ROOT).replaceAll('/path/to/logs', workspace).replaceAll('${workspaceFolder}', workspace);

  before(async () => {
    assertFreshBuild();
    workspace = await mkdtemp(path.join(os.tmpdir(), 'triage-mcp-readme-'));
    await writeFiles(workspace, { 'logs/app.log': '2026-11-20T14:20:34Z ERROR HikariPool-1 - Connection is not available\n' });
  });
  after(() => rm(workspace, { recursive: true, force: true }));

  it('Claude Code: the command after `claude mcp add NAME --` starts a server that lists our tools and finds a planted line', async () => {
    const [block, ...others] = readmeBlocks('sh').filter((b) => b.includes('claude mcp add'));
    assert.equal(others.length, 0);
    const words = fill(block!.trim()).split(/\s+/);
    assert.deepEqual(words.slice(0, 3), ['claude', 'mcp', 'add']);
    const separator = words.indexOf('--');
    assert.deepEqual(words.slice(3, separator), ['incident-triage'], 'the server name, then --');
    const [command, ...args] = words.slice(separator + 1);
    assert.equal(command, 'node', 'a program on PATH, as Claude Code starts it');
    const client = new Client({ name: 'readme', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: command, args, stderr: 'pipe', env: { PATH: process.env.PATH ?? '' } }));
    try {
      assert.deepEqual(
        (await client.listTools()).tools.map((t) => t.name),
        OURS,
      );
      const found = await client.callTool({ name: 'search_logs', arguments: { query: 'HikariPool' } });
      assert.match((found.content as { text: string }[])[0]!.text, /logs\/app\.log[\s\S]*1: .*Connection is not available/);
    } finally {
      await client.close();
    }
  });

  it('.vscode/mcp.json: our own MCP client reads the shape, offers the tools as read-only and finds a planted line; the server is gone after', async () => {
    const [block, ...others] = readmeBlocks('json').filter((b) => b.includes('"servers"'));
    assert.equal(others.length, 0);
    const config = parseMcpConfig(JSON.parse(fill(block!)), 'README .vscode/mcp.json');
    const hub = await McpHub.start(config, { resolveSecret: async () => undefined });
    const pids = hub.pids();
    try {
      assert.deepEqual(hub.problems, []);
      assert.deepEqual(
        hub.tools.map((t) => [t.name, t.risk]),
        [...OURS].sort().map((name) => [`mcp__incident-triage__${name}`, 'read-only']),
      );
      const search = hub.tools.find((t) => t.name === 'mcp__incident-triage__search_logs')!;
      const found = await search.run({ query: 'HikariPool' }, { workspaceRoots: [], signal: AbortSignal.timeout(20_000) });
      assert.match(found.text, /logs\/app\.log[\s\S]*1: .*Connection is not available/);
    } finally {
      await hub.close();
    }
    assert.equal(pids.length, 1);
    assert.throws(() => process.kill(pids[0]!, 0), { code: 'ESRCH' });
  });
});

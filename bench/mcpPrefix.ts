/**
 * npm run bench:mcp-prefix
 *
 * How much the prompt prefix grows when MCP servers' tools are offered: starts the reference
 * servers (everything, filesystem) as the CLI would, and compares the request's `tools` array
 * with and without them — tools, characters, and tokens by the emulator's estimate (about four
 * characters a token; a real tokenizer differs somewhat). Every request of a run carries it.
 */
import path from 'node:path';
import { estimateTokens } from '../src/demo/promptCache';
import { createToolRegistry } from '../src/engine/toolRegistry';
import { parseMcpConfig } from '../src/tools/mcp/mcpConfig';
import { McpHub } from '../src/tools/mcp/mcpHub';
import { EVERYTHING, FILESYSTEM } from '../test/fixtures/mcpServers';

async function main(): Promise<void> {
  const ours = createToolRegistry().definitions();
  const rows = [`| tools offered | tools | characters | ≈ tokens | growth |`, '|---|---:|---:|---:|---:|', row('ours only', ours, ours)];
  const servers = {
    'server-everything': { everything: { command: process.execPath, args: [EVERYTHING] } },
    'server-filesystem': { filesystem: { command: process.execPath, args: [FILESYSTEM, path.resolve('.')] } },
    both: { everything: { command: process.execPath, args: [EVERYTHING] }, filesystem: { command: process.execPath, args: [FILESYSTEM, path.resolve('.')] } },
  };
  for (const [label, config] of Object.entries(servers)) {
    const hub = await McpHub.start(parseMcpConfig({ servers: config }, label), { resolveSecret: async () => undefined });
    try {
      rows.push(row(`ours + ${label}`, createToolRegistry({}, hub.tools).definitions(), ours));
    } finally {
      await hub.close();
    }
  }
  console.log(rows.join('\n'));
}

function row(label: string, tools: readonly object[], ours: readonly object[]): string {
  const chars = JSON.stringify(tools).length;
  const base = estimateTokens(ours);
  const tokens = estimateTokens(tools);
  return `| ${label} | ${tools.length} | ${chars.toLocaleString('en-US')} | ${tokens.toLocaleString('en-US')} | ${tokens === base ? '—' : `+${(tokens - base).toLocaleString('en-US')}`} |`;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

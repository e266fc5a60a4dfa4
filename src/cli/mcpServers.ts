import { readFile } from 'node:fs/promises';
import { McpConfigError, startMcpServers, type McpHub } from '../engine/mcpServers';
import type { ApprovalRequest } from '../tools/registry';
import { UsageError, type TriageOptions } from './args';
import type { CliIo } from './runAndRender';

/**
 * Runs `use` with the MCP servers of `--mcp-config` started (or with none), and stops them
 * afterwards whatever happens. What the user should know (a server that did not start, tools
 * left out, an --allow-mcp-tool that names no tool) goes to stderr; a file that cannot be read
 * or is not a valid configuration is a usage error.
 */
export async function withMcpServers<T>(options: TriageOptions, io: CliIo, use: (mcp: McpHub | undefined) => Promise<T>): Promise<T> {
  if (options.mcpConfig === undefined) return use(undefined);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(options.mcpConfig, 'utf8'));
  } catch (err) {
    throw new UsageError(`--mcp-config: cannot read ${options.mcpConfig} as JSON (${(err as Error).message}).`);
  }
  let hub;
  try {
    // The CLI has no secret storage: a ${secret:…} reference cannot be resolved here.
    hub = await startMcpServers(raw, `--mcp-config ${options.mcpConfig}`, async ({ kind, name }) => (kind === 'env' ? io.env[name] : undefined), io.signal);
  } catch (err) {
    if (err instanceof McpConfigError) throw new UsageError(err.message);
    throw err;
  }
  try {
    for (const problem of hub.problems) io.stderr.write(`incident-triage: ${problem}\n`);
    for (const name of options.allowMcpTools) {
      if (!hub.tools.some((t) => t.name === name)) io.stderr.write(`incident-triage: --allow-mcp-tool ${name}: no MCP tool of that name was loaded.\n`);
    }
    return await use(hub);
  } finally {
    await hub.close();
  }
}

/**
 * Approval without anyone to ask: an MCP tool not marked read-only runs only when the user named
 * it with --allow-mcp-tool before the run.
 */
export function cliApproval(options: TriageOptions): (call: ApprovalRequest) => Promise<boolean> {
  const allowed = new Set(options.allowMcpTools);
  return (call) => Promise.resolve(allowed.has(call.name));
}

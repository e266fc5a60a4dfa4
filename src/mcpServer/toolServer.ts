import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult, type Tool } from '@modelcontextprotocol/sdk/types.js';
import type { Redact } from '../security/redaction';
import { toolTitle, type ToolRegistry } from '../tools/registry';

export interface ToolServerOptions {
  /** Absolute, real paths the tools may read. */
  workspaceRoots: readonly string[];
  timeoutMs: number;
  redact: Redact;
  /** Tools that reach a system outside this machine (query_metrics with a Prometheus URL). */
  openWorld: ReadonlySet<string>;
  version: string;
}

/**
 * An MCP server that lends our read-only tools to other agents (Claude Code, Copilot, Cursor):
 * the same definitions the model gets, marked read-only, and every call through the registry —
 * the schema check, the workspace confinement, the timeout, redaction and the ~8,000-character
 * bound — so another agent gets exactly the guarantees our own runs have. A failed call is an
 * `isError` result with the message our model would get.
 */
export function createToolServer(registry: ToolRegistry, options: ToolServerOptions): Server {
  const server = new Server({ name: 'incident-triage', title: 'Incident Triage log tools', version: options.version }, { capabilities: { tools: {} } });
  const tools: Tool[] = registry.definitions().map((d) => ({
    name: d.name,
    description: d.description ?? '',
    inputSchema: d.input_schema as Tool['inputSchema'],
    annotations: { title: toolTitle(d.name), readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: options.openWorld.has(d.name) },
  }));
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const prepared = registry.prepare(request.params.name, request.params.arguments ?? {});
    if (!prepared.ok) return { isError: true, content: [{ type: 'text', text: (await options.redact(prepared.content)).text }] };
    const outcome = await registry.run(prepared.call, { workspaceRoots: options.workspaceRoots, signal: extra.signal }, { timeoutMs: options.timeoutMs, redact: options.redact });
    return { content: [{ type: 'text', text: outcome.content }], ...(outcome.ok ? {} : { isError: true }) };
  });
  return server;
}

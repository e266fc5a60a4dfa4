import { parseMcpConfig, type ResolveSecret } from '../tools/mcp/mcpConfig';
import { McpHub } from '../tools/mcp/mcpHub';

/**
 * Starts the MCP servers of a configuration (`origin` names it in messages: a setting, a file).
 * Throws an McpConfigError for a configuration that cannot be used; servers that do not start
 * are the hub's `problems`. The caller stops them with `close`.
 */
export function startMcpServers(config: unknown, origin: string, resolveSecret: ResolveSecret, signal?: AbortSignal): Promise<McpHub> {
  return McpHub.start(parseMcpConfig(config, origin), { resolveSecret, ...(signal ? { signal } : {}) });
}

export { McpConfigError } from '../tools/mcp/mcpConfig';
export type { McpHub } from '../tools/mcp/mcpHub';

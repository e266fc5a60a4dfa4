import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { z } from 'zod';
import type { ToolAnnotations, ToolSpec } from '../registry';
import { resultText } from './mcpResult';

/** What a tool needs of its server's connection. */
export interface McpConnection {
  readonly server: string;
  readonly client: Client;
  /** Set once the server is gone, saying why. */
  readonly stopped: string | undefined;
}

/** `mcp__<server>__<tool>`, with any character the API does not take in a tool name made '_'. */
export const mcpToolName = (server: string, tool: string): string => `mcp__${server}__${tool.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** The SDK's own validator (ajv), shared: compiling a schema is the costly part, and each tool's is compiled once. */
const validators = new AjvJsonSchemaValidator();
/** The SDK times requests out after 60 s by default; ours come from the run's tool timeout (the registry aborts the call). */
const NO_SDK_TIMEOUT_MS = 24 * 3_600_000;

/**
 * A tool of an MCP server as one of ours: its description and input schema as the server gave
 * them, arguments validated against that schema before the call, read-only only when the server
 * says so (`readOnlyHint: true`; anything else needs the user's approval), and its result as
 * text. Returns a problem (a string) for a tool that cannot be offered.
 */
export function mcpToolSpec(connection: McpConnection, tool: Tool): ToolSpec | string {
  const name = mcpToolName(connection.server, tool.name);
  if (name.length > 64) return `MCP tool "${tool.name}" of "${connection.server}" left out: ${name} is longer than the 64 characters a tool name may have.`;
  let validate;
  try {
    validate = validators.getValidator(tool.inputSchema);
  } catch (err) {
    return `MCP tool "${tool.name}" of "${connection.server}" left out: its input schema does not compile (${err instanceof Error ? err.message : String(err)}).`;
  }
  const input = z.unknown().superRefine((value, ctx) => {
    const checked = validate(value ?? {});
    if (!checked.valid) ctx.addIssue({ code: 'custom', message: `does not match the tool's input schema: ${checked.errorMessage}` });
  });
  const annotations = toolAnnotations(tool);
  return {
    name,
    description: describe(connection.server, tool),
    input,
    inputSchema: { ...tool.inputSchema, type: 'object' },
    risk: tool.annotations?.readOnlyHint === true ? 'read-only' : 'side-effect',
    ...(annotations ? { annotations } : {}),
    async run(args, ctx) {
      if (connection.stopped)
        throw new Error(`the MCP server "${connection.server}" is not running (${connection.stopped}); its tools cannot be used for the rest of this run. Continue with the other tools.`);
      const result = await connection.client.callTool({ name: tool.name, arguments: (args ?? {}) as Record<string, unknown> }, undefined, { signal: ctx.signal, timeout: NO_SDK_TIMEOUT_MS });
      const text = resultText(result as Parameters<typeof resultText>[0]);
      if (result.isError) throw new Error(text || 'the server reported an error and said nothing more');
      return { text };
    },
  };
}

/** The server's description, prefixed with where the tool comes from (the model weighs a third party's tool accordingly). */
function describe(server: string, tool: Tool): string {
  const own = tool.description?.trim() || tool.annotations?.title || tool.title || tool.name;
  return `[MCP server "${server}"] ${own}`;
}

function toolAnnotations(tool: Tool): ToolAnnotations | undefined {
  const a = tool.annotations;
  if (!a) return undefined;
  const out: ToolAnnotations = {};
  if (a.title ?? tool.title) out.title = a.title ?? tool.title;
  for (const key of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) if (typeof a[key] === 'boolean') out[key] = a[key];
  return out;
}

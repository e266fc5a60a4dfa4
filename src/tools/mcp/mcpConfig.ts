import { z } from 'zod';

/** Tools one run may take from MCP servers in all: each definition is part of every request's prefix. */
export const MAX_MCP_TOOLS = 40;
/** A server name and a tool name make `mcp__<server>__<tool>`, which the API caps at 64 characters. */
const NAME = /^[A-Za-z0-9_-]{1,24}$/;

/**
 * A value in `env` or `headers` that holds a secret is written as a reference, resolved when the
 * server starts: `${env:NAME}` (the environment of VS Code or the CLI) or `${secret:NAME}` (VS
 * Code's secret storage). The setting or file then never holds the secret itself.
 */
const REFERENCE = /\$\{(env|secret):([A-Za-z_][A-Za-z0-9_.-]{0,127})\}/g;
const HAS_REFERENCE = /\$\{(?:env|secret):/;
/** Names that say a value is a secret: such a value must be a reference, never the secret in plain text. */
const SECRET_NAME = /authorization|token|secret|password|passwd|api[-_]?key|credential|cookie|private[-_]?key|^key$|[-_]key$/i;

const allowlist = z.array(z.string().min(1)).optional().describe('The only tools of this server the model sees (default: all, up to the cap).');
const stdioServer = z
  .object({
    type: z.literal('stdio').optional(),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().optional(),
    tools: allowlist,
  })
  .strict();
const httpServer = z
  .object({
    type: z.enum(['http', 'streamable-http']).optional(),
    url: z.url({ protocol: /^https?$/ }),
    headers: z.record(z.string(), z.string()).default({}),
    tools: allowlist,
  })
  .strict();
const server = z.union([stdioServer, httpServer]);
const servers = z.record(z.string(), server);
export type McpServerConfig = z.output<typeof server>;
/** Servers by name, in name order: the order their tools are offered in. */
export type McpConfig = ReadonlyMap<string, McpServerConfig>;

export class McpConfigError extends Error {}

/**
 * Reads an MCP configuration (`origin` names where it came from in messages): either shape, each
 * server's name usable in tool names, no plain-text secret in `env` or `headers`. Throws an
 * McpConfigError that says what to change.
 */
export function parseMcpConfig(json: unknown, origin: string): McpConfig {
  // VS Code's `.vscode/mcp.json` shape (`servers`; its `inputs` are VS Code's to prompt for), or Claude Desktop's (`mcpServers`).
  const shape = json !== null && typeof json === 'object' ? ('servers' in json ? 'servers' : 'mcpServers' in json ? 'mcpServers' : undefined) : undefined;
  if (!shape) throw new McpConfigError(`${origin}: not an MCP configuration: expected {"servers": {name: {"command", "args", "env"} | {"url", "headers"}}} (or Claude Desktop's "mcpServers").`);
  const parsed = servers.safeParse((json as Record<string, unknown>)[shape]);
  if (!parsed.success) throw new McpConfigError(`${origin}: "${shape}" is not valid:\n${z.prettifyError(parsed.error)}`);
  const entries = Object.entries(parsed.data).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, config] of entries) {
    if (!NAME.test(name)) throw new McpConfigError(`${origin}: server name "${name}" must be 1-24 letters, digits, "_" or "-" (it becomes part of each tool's name, mcp__${name}__<tool>).`);
    const [field, record]: [string, Record<string, string>] = 'command' in config ? ['env', config.env] : ['headers', config.headers];
    for (const [key, value] of Object.entries(record)) {
      if (SECRET_NAME.test(key) && value.trim() !== '' && !HAS_REFERENCE.test(value)) {
        throw new McpConfigError(
          `${origin}: servers.${name}.${field}.${key} holds a secret in plain text. Write a reference instead — "\${env:NAME}" for an environment variable${field === 'headers' ? ' (e.g. "Bearer ${env:GRAFANA_TOKEN}")' : ''}, or "\${secret:NAME}" for VS Code's secret storage (command "Incident Triage: Set MCP Secret").`,
        );
      }
    }
  }
  return new Map(entries);
}

/** Where a reference asks for a value: the host resolves it (environment; VS Code also its secret storage). */
export interface SecretRef {
  kind: 'env' | 'secret';
  name: string;
}
export type ResolveSecret = (ref: SecretRef) => Promise<string | undefined>;

/**
 * Replaces every `${env:…}`/`${secret:…}` in the values; a reference that resolves to nothing is
 * an error naming it. Also returns what the references resolved to, so the run can mask those
 * values wherever they appear (a server that echoes its token).
 */
export async function resolveReferences(values: Readonly<Record<string, string>>, resolve: ResolveSecret, where: string): Promise<{ values: Record<string, string>; secrets: string[] }> {
  const out: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const resolved = new Map<string, string>();
    for (const m of value.matchAll(REFERENCE)) {
      const ref: SecretRef = { kind: m[1] as SecretRef['kind'], name: m[2]! };
      const found = await resolve(ref);
      if (found === undefined || found === '')
        throw new McpConfigError(`${where}.${key}: \${${ref.kind}:${ref.name}} is not set${ref.kind === 'env' ? ' in the environment' : " in VS Code's secret storage"}.`);
      resolved.set(m[0], found);
      secrets.push(found);
    }
    out[key] = value.replace(REFERENCE, (m) => resolved.get(m)!);
  }
  return { values: out, secrets };
}

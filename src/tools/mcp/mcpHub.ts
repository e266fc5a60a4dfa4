import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { childEnv } from '../../security/childEnv';
import type { ToolSpec } from '../registry';
import { MAX_MCP_TOOLS, resolveReferences, type McpConfig, type McpServerConfig, type ResolveSecret } from './mcpConfig';
import { mcpToolSpec, mcpToolName, type McpConnection } from './mcpTool';

export interface McpStartOptions {
  /** Resolves `${env:…}` and `${secret:…}` references in servers' env and headers. */
  resolveSecret: ResolveSecret;
  /** How long a server may take to start and list its tools (default 30 s). */
  startTimeoutMs?: number;
  /** Aborted when the run is cancelled while servers start. */
  signal?: AbortSignal;
}

/** Characters of a server's stderr kept, to say why it stopped. */
const STDERR_TAIL = 2000;
/** Pages of tools/list read at most: a server that pages on forever is cut there. */
const MAX_LIST_PAGES = 20;
/** The longest stdio message read: a larger one is an error of that call, not memory spent. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

/**
 * Server processes started and not known to have exited, in this whole process: a host that must
 * exit at once (a second Ctrl-C) kills them first, as it cannot wait for `close`.
 */
const running = new Set<number>();

/** Kills every stdio server process still running (SIGKILL): for a host about to exit without closing its hubs. */
export function killRunningServers(): void {
  for (const pid of running) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  running.clear();
}

/** One running server. */
class Connection implements McpConnection {
  /** Set once the server is gone: why, in words for the model and the user. */
  stopped: string | undefined;
  private stderr = '';
  /** Kept from the start: the SDK forgets the pid as soon as closing begins, before the process has exited. */
  private childPid: number | undefined;

  constructor(
    readonly server: string,
    readonly client: Client,
    readonly transport: Transport,
  ) {
    client.onclose = () => {
      this.stopped ??= `it exited${this.stderr ? `; its last words on stderr: ${this.stderr.trim().slice(-500)}` : ''}`;
      // The pipe closed because the process exited: its pid may be reused, so it is no longer ours to kill.
      if (this.childPid !== undefined && this.transport instanceof StdioClientTransport && this.transport.pid === null) running.delete(this.childPid);
    };
    if (transport instanceof StdioClientTransport) {
      transport.stderr?.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_TAIL)));
    }
  }

  get pid(): number | undefined {
    return this.transport instanceof StdioClientTransport ? (this.transport.pid ?? undefined) : undefined;
  }

  /** Called once connected: from here until it has exited, the process is one a hurried exit must kill. */
  started(): void {
    this.childPid = this.pid;
    if (this.childPid !== undefined) running.add(this.childPid);
  }

  async close(): Promise<void> {
    this.stopped ??= 'the run ended';
    await this.client.close().catch(() => undefined);
    // The SDK's close returns once the process has exited (or been killed).
    if (this.childPid !== undefined) running.delete(this.childPid);
  }
}

/**
 * The MCP servers of one run (the CLI) or one session (VS Code): started together, their tools
 * offered to the model as `mcp__<server>__<tool>` in a stable order (servers by name, tools by
 * name: the tool definitions are part of the cached prompt prefix), and all stopped by `close`.
 * A server that does not start, or offers too many tools, is left out with a problem the host
 * shows; one that stops later answers its calls with an error the model can act on.
 */
export class McpHub {
  private constructor(
    private readonly connections: Connection[],
    /** The tools offered, in offering order. */
    readonly tools: ToolSpec[],
    /** What the user should know: servers that did not start, tools left out, and why. */
    readonly problems: string[],
    /** Values the servers' references resolved to: the run masks them wherever they appear. */
    readonly secrets: string[],
    private readonly failed: Map<string, string>,
  ) {}

  static async start(config: McpConfig, options: McpStartOptions): Promise<McpHub> {
    const problems: string[] = [];
    const secrets: string[] = [];
    const failed = new Map<string, string>();
    const started = await Promise.all(
      [...config].map(async ([name, server]) => {
        try {
          return await connect(name, server, options, secrets);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          failed.set(name, why);
          problems.push(`MCP server "${name}" did not start: ${why}. Its tools are not offered in this run.`);
          return undefined;
        }
      }),
    );
    const connections = started.filter((c): c is { connection: Connection; tools: Tool[] } => c !== undefined);
    const tools: ToolSpec[] = [];
    for (const { connection, tools: offered } of connections) {
      const chosen = choose(connection.server, offered, config.get(connection.server)!.tools, problems);
      if (tools.length + chosen.length > MAX_MCP_TOOLS) {
        const why = `it offers ${chosen.length} tools and the run takes ${MAX_MCP_TOOLS} MCP tools at most (each definition is sent with every request); list the ones to use in its "tools" array`;
        failed.set(connection.server, why);
        problems.push(`MCP server "${connection.server}" left out: ${why}.`);
        await connection.close();
        continue;
      }
      for (const tool of chosen) {
        const spec = mcpToolSpec(connection, tool);
        if (typeof spec === 'string') problems.push(spec);
        else if (tools.some((t) => t.name === spec.name)) problems.push(`MCP tool "${tool.name}" of "${connection.server}" left out: its name is taken (${spec.name}).`);
        else tools.push(spec);
      }
    }
    return new McpHub(
      connections.map((c) => c.connection).filter((c) => !c.stopped),
      tools,
      problems,
      secrets,
      failed,
    );
  }

  /** Why a tool name of a server that is not here cannot be called (for the model), or undefined. */
  unavailable(name: string): string | undefined {
    for (const [server, why] of this.failed) {
      if (name.startsWith(`mcp__${server}__`)) return `${name} cannot be called: the MCP server "${server}" is not available in this run (${why}). Continue with the other tools.`;
    }
    return undefined;
  }

  /** Process ids of the stdio servers still running (tests check they are gone after `close`). */
  pids(): number[] {
    return this.connections.map((c) => c.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** Stops every server: stdin closed, then SIGTERM, then SIGKILL (the SDK's sequence, 2 s apart at most). */
  async close(): Promise<void> {
    await Promise.all(this.connections.map((c) => c.close()));
  }
}

async function connect(name: string, server: McpServerConfig, options: McpStartOptions, secrets: string[]): Promise<{ connection: Connection; tools: Tool[] }> {
  const where = `servers.${name}`;
  let transport: Transport;
  if ('command' in server) {
    const env = await resolveReferences(server.env, options.resolveSecret, `${where}.env`);
    secrets.push(...env.secrets);
    // An allowlist environment plus the server's own: never our API key or other secrets (security/childEnv.ts).
    transport = new StdioClientTransport({
      command: server.command,
      args: server.args,
      env: childEnv(env.values) as Record<string, string>,
      stderr: 'pipe',
      maxBufferSize: MAX_MESSAGE_BYTES,
      ...(server.cwd ? { cwd: server.cwd } : {}),
    });
  } else {
    const headers = await resolveReferences(server.headers, options.resolveSecret, `${where}.headers`);
    secrets.push(...headers.secrets);
    transport = new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: headers.values } });
  }
  const client = new Client({ name: 'incident-triage', version: '0.1.0' });
  const connection = new Connection(name, client, transport);
  const limit = options.startTimeoutMs ?? 30_000;
  const timeout = AbortSignal.any([AbortSignal.timeout(limit), ...(options.signal ? [options.signal] : [])]);
  try {
    await abortable(client.connect(transport, { signal: timeout, timeout: limit }), timeout, `no answer within ${limit / 1000} s`);
    connection.started();
    const tools: Tool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const listed = await client.listTools(cursor ? { cursor } : {}, { signal: timeout, timeout: limit });
      tools.push(...listed.tools);
      cursor = listed.nextCursor;
      if (!cursor) break;
    }
    return { connection, tools };
  } catch (err) {
    const why = connection.stopped ?? (err instanceof Error ? err.message : String(err));
    await connection.close();
    throw new Error(why, { cause: err });
  }
}

/** The tools a server's allowlist keeps (all when it has none), by name; allowlisted names it does not offer are problems. */
function choose(server: string, offered: readonly Tool[], allow: readonly string[] | undefined, problems: string[]): Tool[] {
  if (allow) {
    for (const name of allow) {
      if (!offered.some((t) => t.name === name || mcpToolName(server, t.name) === name)) problems.push(`MCP server "${server}" offers no tool "${name}" (its "tools" list names it).`);
    }
  }
  const kept = allow ? offered.filter((t) => allow.includes(t.name) || allow.includes(mcpToolName(server, t.name))) : [...offered];
  return kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Rejects with `message` when `signal` aborts first (the SDK's connect does not always watch it). */
function abortable<T>(promise: Promise<T>, signal: AbortSignal, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error(signal.reason instanceof Error && signal.reason.name !== 'TimeoutError' ? signal.reason.message : message));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

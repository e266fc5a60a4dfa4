import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { lentToolRegistry } from '../engine/lentTools';
import { createToolServer, type ToolServerOptions } from '../mcpServer/toolServer';
import { DEFAULTS } from '../shared/settings';
import type { ToolRegistry } from '../tools/registry';
import type { TriageOptions } from './args';
import { checkedWorkspace, cliToolSettings, type CliIo } from './runAndRender';

/**
 * `incident-triage mcp --workspace DIR`: our read-only tools for other agents, over stdio (what
 * Claude Code, Copilot and Cursor start), or with --http PORT over streamable HTTP on 127.0.0.1
 * only (a local agent, and the conformance suite). Nothing but protocol goes to stdout; it ends
 * when stdin closes (stdio) or on SIGINT/SIGTERM, with exit code 0.
 */
export async function runMcpCommand(options: TriageOptions, io: CliIo): Promise<number> {
  // Several folders are several roots, as in a multi-root VS Code workspace: a relative path is tried in each, in the order given.
  const workspaceRoots = [...new Set(await Promise.all(options.workspaces.map(checkedWorkspace)))];
  // The Prometheus token is masked by value wherever it appears, besides every pattern.
  const { registry, redact } = lentToolRegistry(cliToolSettings(options, io));
  const serverOptions: ToolServerOptions = {
    workspaceRoots,
    timeoutMs: (options.toolTimeoutSeconds ?? DEFAULTS.toolTimeoutSeconds) * 1000,
    redact,
    openWorld: new Set(options.prometheusUrl ? ['query_metrics'] : []),
    version: '0.1.0',
  };
  if (options.httpPort !== undefined) return serveHttp(registry, serverOptions, options.httpPort, io);

  const server = createToolServer(registry, serverOptions);
  // A line that is not JSON-RPC is skipped by the SDK without a word; the host's log of our stderr says why nothing answered it.
  server.onerror = (err) => io.stderr.write(`incident-triage mcp: ${describeProtocolError(err)}\n`);
  const transport = new StdioServerTransport();
  const ended = new Promise<void>((resolve) => {
    transport.onclose = resolve;
    process.stdin.once('end', resolve);
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.connect(transport);
  await ended;
  await server.close();
  return 0;
}

/**
 * Streamable HTTP, stateless: each POST gets a server and transport of its own. Bound to
 * 127.0.0.1, and requests whose Host or Origin is not this address are refused (403), so a web
 * page cannot reach the tools by DNS rebinding.
 */
async function serveHttp(registry: ToolRegistry, options: ToolServerOptions, port: number, io: CliIo): Promise<number> {
  const http = createServer((req, res) => void handle(req, res));
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const address = http.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    const local = new Set([`127.0.0.1:${bound}`, `localhost:${bound}`]);
    const origin = req.headers.origin;
    if (!local.has(req.headers.host ?? '') || (origin !== undefined && !['http://', 'https://'].some((scheme) => local.has(origin.replace(scheme, ''))))) {
      return reply(res, 403, 'Forbidden: this server answers only requests addressed to 127.0.0.1 or localhost.');
    }
    if (req.url?.split('?')[0] !== '/mcp') return reply(res, 404, 'Not found: the MCP endpoint is /mcp.');
    if (req.method !== 'POST') return reply(res, 405, 'Method not allowed: this stateless server takes POST only.');
    const server = createToolServer(registry, options);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close().then(() => server.close()));
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res);
    } catch (err) {
      if (!res.headersSent) reply(res, 500, `Internal error: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  await new Promise<void>((resolve, reject) => http.once('error', reject).listen(port, '127.0.0.1', resolve));
  const address = http.address();
  io.stderr.write(`incident-triage: MCP server on http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/mcp (Ctrl-C stops it)\n`);
  await new Promise<void>((resolve) => (io.signal?.aborted ? resolve() : io.signal?.addEventListener('abort', () => resolve(), { once: true })));
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
  return 0;
}

/** One line for the host's log: the SDK reports a bad line as a SyntaxError, a bad message as zod's multi-line issue list. */
function describeProtocolError(err: Error): string {
  if (err instanceof SyntaxError) return `skipped a line that is not JSON (${err.message})`;
  if ('issues' in err) return 'skipped a message that is not a JSON-RPC 2.0 request, notification or response';
  return err.message;
}

function reply(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody, sendApiError, sendJson } from './http';
import { apiUsage, messageEvents, planTurn, thinkingSigner, writeEventStream } from './messageStream';
import { findModel, modelInfo } from './models';
import { PromptCache } from './promptCache';
import type { Scenario } from './script';

export interface ReplayServer {
  /** The base URL to give the SDK (`new Anthropic({ baseURL })`). */
  readonly url: string;
  close(): Promise<void>;
}

export interface ReplayOptions {
  scenario: Scenario;
  /** Pause between streamed deltas, so the replay streams at a readable pace. */
  chunkDelayMs?: number;
}

/**
 * A Messages API on 127.0.0.1 that replays a recorded model: `GET /v1/models/{id}` (the engine
 * asks a model's capabilities) and streamed `POST /v1/messages`. Usage comes from the emulated
 * prompt cache, so the demo's cost table shows what the engine's real cache layout earns. It
 * checks nothing of the requests: the tests' emulator does that, and adds faults.
 */
export async function startReplayServer(options: ReplayOptions): Promise<ReplayServer> {
  const cache = new PromptCache();
  const sign = thinkingSigner();
  let requests = 0;
  let messages = 0;

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, number: string): Promise<void> => {
    const requestId = `req_emu_${number}`;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    let body: Record<string, unknown>;
    try {
      const raw = await readBody(req);
      body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
    } catch {
      return sendApiError(res, requestId, { status: 400, type: 'invalid_request_error', message: 'Request body is not valid JSON' });
    }

    const modelPath = /^\/v1\/models\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && modelPath) {
      const model = findModel(decodeURIComponent(modelPath[1]!));
      if (!model) return sendApiError(res, requestId, { status: 404, type: 'not_found_error', message: `model: ${modelPath[1]}` });
      return sendJson(res, 200, modelInfo(model));
    }
    if (req.method !== 'POST' || path !== '/v1/messages') return sendApiError(res, requestId, { status: 404, type: 'not_found_error', message: `Not found: ${req.method} ${path}` });

    const model = findModel(String(body.model));
    if (!model) return sendApiError(res, requestId, { status: 404, type: 'not_found_error', message: `model: ${String(body.model)}` });
    // The engine always streams; a replay has no other use.
    if (body.stream !== true) return sendApiError(res, requestId, { status: 400, type: 'invalid_request_error', message: 'This replay server only streams: set "stream": true.' });
    const turnIndex = ((body.messages as { role: string }[] | undefined) ?? []).filter((m) => m.role === 'assistant').length;
    const turn = options.scenario(body, { turnIndex, requestIndex: messages++ });
    const cacheUsage = cache.apply(body, model.minCacheableTokens);
    const planned = planTurn(turn, body.max_tokens as number, sign);
    const message = { id: `msg_emu_${number}`, model: model.id, usage: apiUsage(cacheUsage, planned.outputTokens) };
    await writeEventStream(res, messageEvents(message, planned), { chunkDelayMs: options.chunkDelayMs ?? 0 });
  };

  const server = http.createServer((req, res) => {
    // Numbered as the tests' emulator numbers them, so a replayed run's request ids look the same.
    const number = String(++requests).padStart(6, '0');
    res.setHeader('request-id', `req_emu_${number}`);
    handle(req, res, number).catch((err: unknown) => sendApiError(res, `req_emu_${number}`, { status: 500, type: 'api_error', message: `Replay server: ${(err as Error).message}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      // The SDK keeps connections alive; they would hold close() open.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { createHmac, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { estimateTokens, type CacheUsage } from './promptCache';
import { chunkText, type ScriptedTurn } from './script';

/**
 * The Messages API's streaming wire format (SSE), written once for both local servers: the
 * demo's replay server and the tests' emulator, which adds faults on top.
 */

/** A scripted block cut into the deltas it will be streamed as. */
export type PlannedBlock = { type: 'thinking'; chunks: string[]; signature: string } | { type: 'text'; chunks: string[] } | { type: 'tool_use'; id: string; name: string; chunks: string[] };

export interface PlannedTurn {
  blocks: PlannedBlock[];
  stopReason: string;
  outputTokens: number;
}

export interface StreamEvent {
  event: string;
  data: unknown;
}

/** Signs thinking text as the API does, so a server can tell whether a thinking block came back unmodified. */
export function thinkingSigner(): (thinking: string) => string {
  const secret = randomBytes(16);
  return (thinking) => createHmac('sha256', secret).update(thinking).digest('base64');
}

/** Turns a scripted turn into streamed chunks, cutting at `max_tokens` as the API does. */
export function planTurn(turn: ScriptedTurn, maxTokens: number, sign: (thinking: string) => string): PlannedTurn {
  const blocks: PlannedBlock[] = [];
  let outputTokens = 0;
  for (const scripted of turn.content) {
    const full = scripted.type === 'thinking' ? scripted.thinking : scripted.type === 'text' ? scripted.text : (scripted.rawJson ?? JSON.stringify(scripted.input ?? {}));
    const chunks = scripted.type === 'tool_use' ? chunkJson(full) : chunkText(full);
    const kept: string[] = [];
    let truncated = false;
    for (const chunk of chunks) {
      const cost = estimateTokens(chunk);
      if (outputTokens + cost > maxTokens) {
        truncated = true;
        break;
      }
      outputTokens += cost;
      kept.push(chunk);
    }
    if (scripted.type === 'thinking') blocks.push({ type: 'thinking', chunks: kept, signature: sign(kept.join('')) });
    else if (scripted.type === 'text') blocks.push({ type: 'text', chunks: kept });
    else blocks.push({ type: 'tool_use', id: scripted.id ?? `toolu_emu_${randomBytes(8).toString('hex')}`, name: scripted.name, chunks: kept });
    if (truncated) return { blocks, stopReason: 'max_tokens', outputTokens };
  }
  const hasToolUse = turn.content.some((b) => b.type === 'tool_use');
  return { blocks, stopReason: turn.stopReason ?? (hasToolUse ? 'tool_use' : 'end_turn'), outputTokens };
}

/** A response's `usage`: the counts both servers read back, and the API's other fields as it sends them. */
export interface ApiUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
  [field: string]: unknown;
}

export function apiUsage(cache: CacheUsage, outputTokens: number): ApiUsage {
  return {
    input_tokens: cache.inputTokens,
    cache_creation_input_tokens: cache.cacheWrite5m + cache.cacheWrite1h,
    cache_read_input_tokens: cache.cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: cache.cacheWrite5m, ephemeral_1h_input_tokens: cache.cacheWrite1h },
    output_tokens: outputTokens,
    service_tier: 'standard',
    inference_geo: null,
    server_tool_use: null,
    output_tokens_details: null,
    speed: null,
  };
}

/** The events of one streamed message, in the API's order: message_start, ping, each block's start, deltas and stop, message_delta, message_stop. */
export function* messageEvents(message: { id: string; model: string; usage: ApiUsage }, turn: PlannedTurn): Generator<StreamEvent> {
  const { id, model, usage } = message;
  const event = (name: string, data: Record<string, unknown>): StreamEvent => ({ event: name, data: { type: name, ...data } });
  yield event('message_start', {
    message: { id, type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, stop_details: null, usage: { ...usage, output_tokens: 1 } },
  });
  yield event('ping', {});
  for (const [index, block] of turn.blocks.entries()) {
    const start =
      block.type === 'thinking'
        ? { type: 'thinking', thinking: '', signature: '' }
        : block.type === 'text'
          ? { type: 'text', text: '' }
          : { type: 'tool_use', id: block.id, name: block.name, input: {} };
    yield event('content_block_start', { index, content_block: start });
    for (const chunk of block.chunks) {
      const delta =
        block.type === 'thinking' ? { type: 'thinking_delta', thinking: chunk } : block.type === 'text' ? { type: 'text_delta', text: chunk } : { type: 'input_json_delta', partial_json: chunk };
      yield event('content_block_delta', { index, delta });
    }
    if (block.type === 'thinking') yield event('content_block_delta', { index, delta: { type: 'signature_delta', signature: block.signature } });
    yield event('content_block_stop', { index });
  }
  const { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens } = usage;
  yield event('message_delta', {
    delta: { stop_reason: turn.stopReason, stop_sequence: null, stop_details: null },
    usage: { input_tokens, cache_creation_input_tokens, cache_read_input_tokens, output_tokens },
  });
  yield event('message_stop', {});
}

export function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export interface WriteOptions {
  /** Pause after each content delta, so the stream is seen arriving (the demo) or can be cancelled mid-way (tests). */
  chunkDelayMs?: number;
  /** Called before the `sent`-th event (0-based); false stops the stream there (the tests' faults). */
  before?: (sent: number) => Promise<boolean>;
}

/** Writes the events as an SSE response and ends it; stops quietly if the client goes away. */
export async function writeEventStream(res: http.ServerResponse, events: Iterable<StreamEvent>, options: WriteOptions = {}): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
  let sent = 0;
  for (const { event, data } of events) {
    if (res.destroyed) return;
    if (options.before && !(await options.before(sent))) return;
    if (res.destroyed) return;
    sent++;
    res.write(sse(event, data));
    if (event === 'content_block_delta' && options.chunkDelayMs) await delay(options.chunkDelayMs);
  }
  if (!res.destroyed) res.end();
}

/** Tool input streams as raw JSON in 16-character pieces, after an empty first delta as the API sends. */
function chunkJson(json: string): string[] {
  const chunks = [''];
  for (let i = 0; i < json.length; i += 16) chunks.push(json.slice(i, i + 16));
  return chunks;
}

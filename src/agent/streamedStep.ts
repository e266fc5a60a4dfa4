import { createHash } from 'node:crypto';
import type Anthropic from '@anthropic-ai/sdk';
import type { CallUsage, TriageEvent } from '../shared/events';
import type { PriceOverrides } from '../shared/pricing';
import { priceCall, type CallCost } from '../cost/prices';
import { StreamStalledError } from './apiErrors';

export interface StreamedStep {
  message: Anthropic.Message;
  usage: CallUsage;
  cost: CallCost;
}

export interface StreamOptions {
  step: number;
  /** The run's cancel. */
  signal: AbortSignal;
  /** A stream silent for this long is abandoned (the SDK's timeout covers only the response headers). */
  idleMs: number;
  pricing?: PriceOverrides;
  emit: (event: TriageEvent) => void;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * One API call, its deltas emitted as they arrive and its usage as the last event; resolves to
 * the complete message. A watchdog aborts a stream that goes silent.
 */
export async function streamStep(client: Anthropic, params: Anthropic.MessageCreateParamsStreaming, options: StreamOptions): Promise<StreamedStep> {
  const { step, emit, idleMs } = options;
  const requestHash = sha256(JSON.stringify(params));
  const sentAt = performance.now();
  let firstTokenAt: number | undefined;
  let usage: CallUsage | undefined;
  const toolIds = new Map<number, string>();

  const watchdog = new AbortController();
  let idle: NodeJS.Timeout | undefined;
  const feed = () => {
    clearTimeout(idle);
    idle = setTimeout(() => watchdog.abort(new StreamStalledError(idleMs)), idleMs);
  };
  const stalled = () => watchdog.signal.aborted && !options.signal.aborted;
  const stream = client.messages.stream(params, { signal: AbortSignal.any([options.signal, watchdog.signal]) });
  const final = stream.finalMessage();
  final.catch(() => undefined); // observed below; this only prevents an unhandled rejection if iteration throws first
  feed();
  try {
    for await (const event of stream) {
      feed();
      switch (event.type) {
        case 'message_start':
          usage = usageFrom(event.message.usage);
          break;
        case 'message_delta':
          // Cumulative figures: overwrite, never add (null means "unchanged").
          usage = overwriteUsage(usage, event.usage);
          break;
        case 'content_block_start':
          if (event.content_block.type === 'tool_use') {
            toolIds.set(event.index, event.content_block.id);
            emit({ type: 'tool_call_started', step, id: event.content_block.id, name: event.content_block.name });
          }
          break;
        case 'content_block_delta': {
          firstTokenAt ??= performance.now();
          const delta = event.delta;
          if (delta.type === 'text_delta') emit({ type: 'text_delta', step, text: delta.text });
          else if (delta.type === 'thinking_delta') emit({ type: 'thinking_delta', step, text: delta.thinking });
          else if (delta.type === 'input_json_delta') {
            const id = toolIds.get(event.index);
            if (id && delta.partial_json) emit({ type: 'tool_input_delta', step, id, partialJson: delta.partial_json });
          }
          break;
        }
        case 'content_block_stop':
        case 'message_stop':
          break;
      }
    }
  } catch (err) {
    if (stalled()) throw watchdog.signal.reason;
    throw err;
  } finally {
    clearTimeout(idle);
  }
  if (stalled()) throw watchdog.signal.reason;
  const message = await final;
  const counted = usage ?? usageFrom(message.usage);
  const cost = priceCall(message.model, counted, options.pricing);
  emit({
    type: 'usage',
    step,
    model: message.model,
    ...(stream.request_id ? { requestId: stream.request_id } : {}),
    requestHash,
    usage: counted,
    stopReason: message.stop_reason,
    timeToFirstTokenMs: firstTokenAt === undefined ? null : Math.round(firstTokenAt - sentAt),
    totalMs: Math.round(performance.now() - sentAt),
    costUsd: cost.usd ?? null,
    uncachedCostUsd: cost.uncachedUsd ?? null,
    ...(cost.pricedAs ? { pricedAs: cost.pricedAs } : {}),
  });
  return { message, usage: counted, cost };
}

function usageFrom(u: Anthropic.Usage): CallUsage {
  return {
    inputTokens: u.input_tokens ?? 0,
    cacheCreationInputTokens: u.cache_creation_input_tokens ?? 0,
    cacheCreation5mInputTokens: u.cache_creation?.ephemeral_5m_input_tokens ?? u.cache_creation_input_tokens ?? 0,
    cacheCreation1hInputTokens: u.cache_creation?.ephemeral_1h_input_tokens ?? 0,
    cacheReadInputTokens: u.cache_read_input_tokens ?? 0,
    outputTokens: u.output_tokens ?? 0,
  };
}

function overwriteUsage(current: CallUsage | undefined, delta: Anthropic.MessageDeltaUsage): CallUsage {
  const base = current ?? usageFrom({ input_tokens: 0, output_tokens: 0 } as Anthropic.Usage);
  const next = { ...base, outputTokens: delta.output_tokens };
  if (delta.input_tokens != null) next.inputTokens = delta.input_tokens;
  if (delta.cache_read_input_tokens != null) next.cacheReadInputTokens = delta.cache_read_input_tokens;
  if (delta.cache_creation_input_tokens != null) {
    next.cacheCreationInputTokens = delta.cache_creation_input_tokens;
    next.cacheCreation5mInputTokens = delta.cache_creation_input_tokens - next.cacheCreation1hInputTokens;
  }
  return next;
}

import type Anthropic from '@anthropic-ai/sdk';
import type { CacheTtl } from '../shared/settings';
import { SYSTEM_PROMPT } from './prompt';

export interface RequestShape {
  model: string;
  maxTokens: number;
  tools: Anthropic.Tool[];
  messages: readonly Anthropic.MessageParam[];
  thinking?: Anthropic.ThinkingConfigParam;
  toolChoice?: Anthropic.ToolChoice;
  cacheTtl?: CacheTtl;
}

/** A read looks back at most this many blocks from a breakpoint for an earlier cache entry. */
export const CACHE_LOOKBACK_BLOCKS = 20;
/** The API rejects a request with more cache breakpoints than this. */
export const MAX_BREAKPOINTS = 4;

/**
 * Lays a step's request out for prompt caching. The prefix — tools (fixed order, deterministic
 * JSON), then the system prompt — is byte-for-byte the same in every request of every run and
 * ends in the first breakpoint. A second breakpoint moves to the newest block, so each step
 * reads all earlier steps from cache. When a step added so many blocks (parallel tool calls)
 * that the previous step's entry is beyond the 20-block lookback, a third breakpoint marks that
 * entry's block so it is still read. The stored transcript is never mutated.
 */
export function buildRequest(shape: RequestShape): Anthropic.MessageCreateParamsStreaming {
  const ttl = shape.cacheTtl ?? '5m';
  const mark: Anthropic.CacheControlEphemeral | undefined = ttl === 'off' ? undefined : ttl === '1h' ? { type: 'ephemeral', ttl: '1h' } : { type: 'ephemeral' };
  const system: Anthropic.TextBlockParam = { type: 'text', text: SYSTEM_PROMPT, ...(mark ? { cache_control: mark } : {}) };
  const params: Anthropic.MessageCreateParamsStreaming = {
    model: shape.model,
    max_tokens: shape.maxTokens,
    system: [system],
    tools: shape.tools,
    messages: mark ? withBreakpoints(shape.messages, mark) : [...shape.messages],
    stream: true,
  };
  if (shape.thinking) params.thinking = shape.thinking;
  if (shape.toolChoice) params.tool_choice = shape.toolChoice;
  const breakpoints = countBreakpoints(params);
  // The layout above places at most three; a fourth would come from a transcript that kept one (a bug): fail here, not as a 400.
  if (breakpoints > MAX_BREAKPOINTS) throw new Error(`The request has ${breakpoints} cache breakpoints; the API allows ${MAX_BREAKPOINTS}.`);
  return params;
}

type Blocks = Anthropic.ContentBlockParam[];

function withBreakpoints(messages: readonly Anthropic.MessageParam[], mark: Anthropic.CacheControlEphemeral): Anthropic.MessageParam[] {
  const copy: Anthropic.MessageParam[] = messages.map((m) => ({ ...m, content: typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : [...m.content] }) as Anthropic.MessageParam);
  const last = copy.length - 1;
  if (last < 0) return copy;
  markLastBlock(copy[last]!, mark);

  // The previous request ended at the last block of the user message before the newest assistant turn.
  const lastAssistant = copy.findLastIndex((m) => m.role === 'assistant');
  const previousEnd = lastAssistant - 1;
  if (previousEnd >= 0) {
    const blocksSince = copy.slice(previousEnd + 1).reduce((n, m) => n + (m.content as Blocks).length, 0);
    if (blocksSince >= CACHE_LOOKBACK_BLOCKS - 1) markLastBlock(copy[previousEnd]!, mark);
  }
  return copy;
}

function markLastBlock(message: Anthropic.MessageParam, mark: Anthropic.CacheControlEphemeral): void {
  const blocks = message.content as Blocks;
  const i = blocks.length - 1;
  const block = blocks[i];
  // Thinking blocks cannot carry cache_control; they are cached as part of the turn around them.
  if (!block || block.type === 'thinking' || block.type === 'redacted_thinking') return;
  blocks[i] = { ...block, cache_control: mark };
}

function countBreakpoints(params: Anthropic.MessageCreateParamsStreaming): number {
  const marked = (blocks: readonly object[]) => blocks.filter((b) => 'cache_control' in b && b.cache_control).length;
  const system = Array.isArray(params.system) ? marked(params.system) : 0;
  return marked(params.tools ?? []) + system + params.messages.reduce((n, m) => n + (typeof m.content === 'string' ? 0 : marked(m.content)), 0);
}

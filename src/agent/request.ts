import type Anthropic from '@anthropic-ai/sdk';
import { SYSTEM_PROMPT } from './prompt';

export interface RequestShape {
  model: string;
  maxTokens: number;
  tools: Anthropic.Tool[];
  messages: readonly Anthropic.MessageParam[];
  thinking?: Anthropic.ThinkingConfigParam;
  toolChoice?: Anthropic.ToolChoice;
}

const EPHEMERAL: Anthropic.CacheControlEphemeral = { type: 'ephemeral' };

/**
 * Lays a step's request out for prompt caching: tools and the system prompt form a stable
 * prefix with a breakpoint at its end, and a second breakpoint moves to the newest turn so
 * each step reads every earlier step from cache. The stored transcript is never mutated.
 */
export function buildRequest(shape: RequestShape): Anthropic.MessageCreateParamsStreaming {
  const params: Anthropic.MessageCreateParamsStreaming = {
    model: shape.model,
    max_tokens: shape.maxTokens,
    system: [{ type: 'text', text: SYSTEM_PROMPT, cache_control: EPHEMERAL }],
    tools: shape.tools,
    messages: withBreakpointOnLastBlock(shape.messages),
    stream: true,
  };
  if (shape.thinking) params.thinking = shape.thinking;
  if (shape.toolChoice) params.tool_choice = shape.toolChoice;
  return params;
}

function withBreakpointOnLastBlock(messages: readonly Anthropic.MessageParam[]): Anthropic.MessageParam[] {
  const copy = [...messages];
  const last = copy.at(-1);
  if (!last) return copy;
  const blocks: Anthropic.ContentBlockParam[] = typeof last.content === 'string' ? [{ type: 'text', text: last.content }] : [...last.content];
  const tail = blocks.at(-1);
  if (tail && tail.type !== 'thinking' && tail.type !== 'redacted_thinking') {
    blocks[blocks.length - 1] = { ...tail, cache_control: EPHEMERAL } as Anthropic.ContentBlockParam;
  }
  copy[copy.length - 1] = { ...last, content: blocks } as Anthropic.MessageParam;
  return copy;
}

import type Anthropic from '@anthropic-ai/sdk';
import { boundaryOf, newBoundary } from './toolOutputBoundary';

/** The boundary that delimits tool output in a conversation (see toolOutputBoundary.ts). */
export interface ConversationBoundary {
  value: string;
  /** Whether an earlier message of the conversation already announced it to the model. */
  announced: boolean;
}

/**
 * The messages of one conversation, and the only code that edits them. Roles must alternate, a
 * paused turn continues in place, and a cut-off tool call never reaches the transcript.
 */
export class Transcript {
  private readonly list: Anthropic.MessageParam[];
  readonly boundary: ConversationBoundary;

  constructor(history: readonly Anthropic.MessageParam[] = []) {
    this.list = [...history];
    const found = boundaryOf(history);
    this.boundary = { value: found ?? newBoundary(), announced: found !== undefined };
  }

  get messages(): readonly Anthropic.MessageParam[] {
    return this.list;
  }

  get length(): number {
    return this.list.length;
  }

  /** Messages added since the transcript had `length` messages. */
  since(length: number): readonly Anthropic.MessageParam[] {
    return this.list.slice(length);
  }

  /**
   * Adds the model's blocks to the conversation. After a `pause_turn` the request ended with the
   * paused assistant message and the response continues it: the two are one turn, kept as one
   * message so roles still alternate.
   */
  appendAssistant(blocks: Anthropic.ContentBlock[]): void {
    const last = this.list.at(-1);
    if (last?.role === 'assistant' && Array.isArray(last.content)) this.list[this.list.length - 1] = { role: 'assistant', content: [...last.content, ...blocks] };
    else this.list.push({ role: 'assistant', content: blocks });
  }

  /** Adds blocks as the user, merging into a trailing user message (e.g. after tool results). */
  appendUser(blocks: Anthropic.ContentBlockParam[]): void {
    const last = this.list.at(-1);
    if (last?.role === 'user') {
      const existing = typeof last.content === 'string' ? [{ type: 'text' as const, text: last.content }] : last.content;
      this.list[this.list.length - 1] = { role: 'user', content: [...existing, ...blocks] };
    } else {
      this.list.push({ role: 'user', content: blocks });
    }
  }

  /**
   * After a `max_tokens` cut, keeps what is whole: text and thinking blocks, not the tool call
   * that was being written (its input is incomplete and must not run).
   */
  appendCutOff(content: Anthropic.ContentBlock[]): void {
    const kept = content.filter((b) => b.type !== 'tool_use');
    if (kept.some((b) => b.type === 'text' && b.text.trim() !== '')) this.appendAssistant(kept);
  }

  /** Answers every tool call of the last assistant turn in one user message, as the API requires. */
  appendToolResults(results: Anthropic.ToolResultBlockParam[]): void {
    this.list.push({ role: 'user', content: results });
  }
}

import type Anthropic from '@anthropic-ai/sdk';

declare const opaque: unique symbol;

/**
 * A finished run's conversation, handed to the adapters so a follow-up question can continue it.
 * Opaque on purpose: the panel and the CLI keep it and give it back, and only the engine reads
 * the messages inside, so no adapter depends on the SDK's message types.
 */
export interface Conversation {
  readonly [opaque]: true;
}

const transcripts = new WeakMap<Conversation, readonly Anthropic.MessageParam[]>();

export function toConversation(messages: readonly Anthropic.MessageParam[]): Conversation {
  const conversation = Object.freeze({}) as Conversation;
  transcripts.set(conversation, Object.freeze([...messages]));
  return conversation;
}

/** The messages of a conversation this engine made; anything else is a programming error. */
export function messagesOf(conversation: Conversation): readonly Anthropic.MessageParam[] {
  const messages = transcripts.get(conversation);
  if (!messages) throw new Error('Not a conversation of this engine.');
  return messages;
}

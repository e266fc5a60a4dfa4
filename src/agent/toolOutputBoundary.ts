import { randomBytes } from 'node:crypto';
import type Anthropic from '@anthropic-ai/sdk';

/**
 * Tool output is untrusted data (log lines can be written by an attacker), so it reaches the
 * model inside a delimiter whose name carries a random value of this conversation's. A log line
 * cannot forge the closing tag — it cannot know the value — whatever case, spacing or escaping it
 * tries; the system prompt says that any other tag is data. The value is announced once, in the
 * first user message (after the cached prefix, which must stay the same for every run), and a
 * follow-up finds it there, so one conversation keeps one boundary.
 */
const ANNOUNCEMENT = 'Tool output boundary for this conversation: ';
const BOUNDARY = /^[0-9a-f]{24}$/;

export function newBoundary(): string {
  return randomBytes(12).toString('hex');
}

export function announceBoundary(boundary: string): string {
  return `${ANNOUNCEMENT}${boundary}`;
}

/** The boundary announced earlier in this conversation, if any. */
export function boundaryOf(messages: readonly Anthropic.MessageParam[]): string | undefined {
  const first = messages.find((m) => m.role === 'user');
  const texts = typeof first?.content === 'string' ? [first.content] : (first?.content ?? []).flatMap((b) => (b.type === 'text' ? [b.text] : []));
  for (const text of texts) {
    // The last one: the engine appends its announcement after the description, which could quote the phrase.
    const at = text.lastIndexOf(ANNOUNCEMENT);
    const value = at >= 0 ? text.slice(at + ANNOUNCEMENT.length, at + ANNOUNCEMENT.length + 24) : '';
    if (BOUNDARY.test(value)) return value;
  }
  return undefined;
}

/** The content between an opening and a closing tag named with the boundary; the boundary itself cannot appear inside. */
export function wrapToolOutput(tool: string, content: string, boundary: string): string {
  const tag = `tool_output-${boundary}`;
  const inert = content.replace(new RegExp(boundary, 'gi'), '[boundary]');
  return `<${tag} tool="${tool}">\n${inert}\n</${tag}>`;
}

import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Run ids are UUIDs: anything else is refused before a path is built from it. */
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Messages as the Messages API takes them; their blocks are checked by the API itself when the conversation is continued. */
const file = z.object({
  version: z.literal(1),
  runId: z.string().regex(RUN_ID),
  messages: z.array(z.object({ role: z.enum(['user', 'assistant']), content: z.union([z.string(), z.array(z.object({ type: z.string() }).loose())]) })).min(1),
});

export class ConversationFileError extends Error {}

const fileOf = (dir: string, runId: string) => path.join(dir, 'conversations', `${runId}.json`);

/**
 * Keeps what a run's conversation needs to be continued later (`--continue`, a reopened run):
 * its messages as sent — the description and tool results already redacted, as everything else
 * in the ledger — written whole or not at all (a temporary file renamed over the old one).
 */
export function saveConversation(dir: string, runId: string, messages: readonly unknown[]): string {
  if (!RUN_ID.test(runId)) throw new ConversationFileError(`"${runId}" is not a run id.`);
  const target = fileOf(dir, runId);
  mkdirSync(path.dirname(target), { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ version: 1, runId, messages }));
  renameSync(temporary, target);
  return target;
}

/** The messages of a past run, checked; a ConversationFileError says what is wrong in words the user can act on. */
export function loadConversation(dir: string, runId: string): unknown[] {
  if (!RUN_ID.test(runId)) throw new ConversationFileError(`"${runId}" is not a run id (a UUID, as in the ledger's runs/<run id>.jsonl).`);
  const source = fileOf(dir, runId);
  if (!existsSync(source))
    throw new ConversationFileError(
      `no conversation of run ${runId} in ${path.join(dir, 'conversations')} (runs record one when they end; a run that is still going, or one from before this version, has none).`,
    );
  let parsed;
  try {
    parsed = file.safeParse(JSON.parse(readFileSync(source, 'utf8')));
  } catch (err) {
    throw new ConversationFileError(`${source} is not readable JSON (${(err as Error).message}).`);
  }
  if (!parsed.success || parsed.data.runId !== runId) throw new ConversationFileError(`${source} is not a conversation this version can continue.`);
  return parsed.data.messages;
}

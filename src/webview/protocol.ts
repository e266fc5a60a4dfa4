import * as z from 'zod/mini';
import type { TriageEvent } from '../shared/events';

/**
 * Every message between the triage panel and the extension host, both ways, declared once: the
 * schemas below, with the types inferred from them. Each side validates what it receives and
 * drops anything else. zod/mini keeps the webview and the extension's activation bundle small.
 *
 * Convention: message types are camelCase (`followUp`, `openEvidence`), like the DOM and the VS
 * Code API on either side of this boundary. The engine events that `init` and `events` carry keep
 * the engine's snake_case names (see eventSchemas.ts): they are the ledgers' format, not ours.
 */

/**
 * The host's messages, with the schema of one event as a parameter: the host's type below takes
 * TriageEvent, the panel's first check (readHostToPanel.ts) takes anything and checks events after.
 */
export const hostToPanelWith = <Event extends z.ZodMiniType>(event: Event) =>
  z.discriminatedUnion('type', [
    /** Everything the panel shows, after it (re)loads: the host keeps the state, not the webview. */
    z.object({ type: z.literal('init'), events: z.array(event), busy: z.boolean(), logFile: z.optional(z.string()), readOnly: z.boolean() }),
    /** New events since the last message, batched to the display's frame rate. */
    z.object({ type: z.literal('events'), events: z.array(event) }),
    z.object({ type: z.literal('busy'), busy: z.boolean() }),
  ]);

/** What the host sends: the messages above, each event a TriageEvent. */
export type HostToPanel = z.infer<ReturnType<typeof hostToPanelWith<z.ZodMiniType<TriageEvent>>>>;

/**
 * C0 control characters and DEL; typed text may still hold tabs and line breaks. A path may hold
 * neither, nor the bidirectional overrides that would make it read as another file in a message.
 */
function hasControlCharacter(s: string, isPath: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if ((code < 0x20 || code === 0x7f) && (isPath || !(code === 0x09 || code === 0x0a || code === 0x0d))) return true;
    if (isPath && ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069))) return true;
  }
  return false;
}
const text = (max: number, isPath = false) =>
  z.string().check(
    z.trim(),
    z.minLength(1),
    z.maxLength(max),
    z.refine((s) => !hasControlCharacter(s, isPath), 'control characters'),
  );

export const panelToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('start'), description: text(20_000) }),
  z.object({ type: z.literal('followUp'), question: text(20_000) }),
  z.object({ type: z.literal('cancel') }),
  // The host still confines the path to the workspace; this only keeps junk from reaching it.
  z.object({ type: z.literal('openEvidence'), file: text(1000, true), line: z.int().check(z.minimum(1)) }),
  z.object({ type: z.literal('exportReport') }),
]);
export type PanelToHost = z.infer<typeof panelToHost>;

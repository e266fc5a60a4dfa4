import * as z from 'zod/mini';
import type { TriageEvent, TriageEventType } from '../shared/events';

/**
 * Every message between the triage panel and the extension host, both ways. Each side validates
 * what it receives with these schemas and drops anything else. zod/mini keeps the webview and the
 * extension's activation bundle small.
 */

const EVENT_TYPES = [
  'run_started', 'step_started', 'thinking_delta', 'text_delta', 'tool_call_started', 'tool_input_delta',
  'tool_call_ready', 'tool_result', 'usage', 'report', 'run_finished', 'error', 'retrying', 'model_fallback',
] as const satisfies readonly TriageEventType[];

/** Engine events are produced by our own host; the envelope and the type are checked here. */
const triageEvent = z.pipe(z.looseObject({ type: z.enum(EVENT_TYPES) }), z.transform((e) => e as unknown as TriageEvent));
const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

export const hostToPanel = z.discriminatedUnion('type', [
  /** Everything the panel shows, after it (re)loads: the host keeps the state, not the webview. */
  z.object({ type: z.literal('init'), events: z.array(triageEvent), busy: z.boolean(), logFile: z.optional(z.string()), readOnly: z.boolean() }),
  /** New events since the last message, batched to the display's frame rate. */
  z.object({ type: z.literal('events'), events: z.array(triageEvent) }),
  z.object({ type: z.literal('busy'), busy: z.boolean() }),
]);
export type HostToPanel =
  | { type: 'init'; events: TriageEvent[]; busy: boolean; logFile?: string; readOnly: boolean }
  | { type: 'events'; events: TriageEvent[] }
  | { type: 'busy'; busy: boolean };

export const panelToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('start'), description: text(20_000) }),
  z.object({ type: z.literal('followUp'), question: text(20_000) }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('openEvidence'), file: text(1000), line: z.int().check(z.minimum(1)) }),
  z.object({ type: z.literal('exportReport') }),
]);
export type PanelToHost = z.infer<typeof panelToHost>;

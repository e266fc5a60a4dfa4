import { z } from 'zod';
import type { TriageEvent, TriageEventType } from '../agent/events';

/**
 * Every message between the triage panel and the extension host, both ways. Each side validates
 * what it receives with these schemas and drops anything else.
 */

const EVENT_TYPES = [
  'run_started', 'step_started', 'thinking_delta', 'text_delta', 'tool_call_started', 'tool_input_delta',
  'tool_call_ready', 'tool_result', 'usage', 'report', 'run_finished', 'error',
] as const satisfies readonly TriageEventType[];

/** Engine events are produced by our own host; the envelope and the type are checked here. */
const triageEvent = z.looseObject({ type: z.enum(EVENT_TYPES) }).transform((e) => e as unknown as TriageEvent);

export const hostToPanel = z.discriminatedUnion('type', [
  /** Everything the panel shows, after it (re)loads: the host keeps the state, not the webview. */
  z.object({ type: z.literal('init'), events: z.array(triageEvent), busy: z.boolean(), logFile: z.string().optional(), readOnly: z.boolean() }),
  /** New events since the last message, batched to the display's frame rate. */
  z.object({ type: z.literal('events'), events: z.array(triageEvent) }),
  z.object({ type: z.literal('busy'), busy: z.boolean() }),
]);
export type HostToPanel = z.input<typeof hostToPanel>;

export const panelToHost = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('start'), description: z.string().trim().min(1).max(20_000) }),
  z.object({ type: z.literal('followUp'), question: z.string().trim().min(1).max(20_000) }),
  z.object({ type: z.literal('cancel') }),
  z.object({ type: z.literal('openEvidence'), file: z.string().min(1).max(1000), line: z.number().int().min(1) }),
  z.object({ type: z.literal('exportReport') }),
]);
export type PanelToHost = z.infer<typeof panelToHost>;

/**
 * Compile-time tests, run by `npm run typecheck` (an unused @ts-expect-error is an error): the
 * panel's event schemas cannot drift from the TriageEvent union without the type-check failing.
 * Nothing here runs.
 */
import * as z from 'zod/mini';
import { checkedAgainstEvents, eventSchemas } from '../../../src/shared/eventSchemas';
import { exactly } from '../../../src/shared/exactSchema';
import type { HostToPanel } from '../../../src/webview/protocol';

export function schemaDriftDoesNotCompile(): void {
  const { retrying: _retrying, ...withoutRetrying } = eventSchemas;
  // @ts-expect-error a TriageEvent member with no schema ('retrying' has no schema)
  checkedAgainstEvents(withoutRetrying);

  // @ts-expect-error a schema for a type that is not a TriageEvent
  checkedAgainstEvents({ ...eventSchemas, exfiltrate: z.object({ type: z.literal('exfiltrate') }) });

  // @ts-expect-error a schema without an optional field would strip it ('step_started' without `attempt`)
  checkedAgainstEvents({ ...eventSchemas, step_started: z.object({ type: z.literal('step_started'), step: z.number(), model: z.string(), forcedReport: z.boolean() }) });

  // @ts-expect-error a schema requiring what the member leaves optional (`attempt`)
  checkedAgainstEvents({ ...eventSchemas, step_started: z.object({ type: z.literal('step_started'), step: z.number(), model: z.string(), forcedReport: z.boolean(), attempt: z.number() }) });

  // @ts-expect-error a field of another type
  checkedAgainstEvents({ ...eventSchemas, text_delta: z.object({ type: z.literal('text_delta'), step: z.string(), text: z.string() }) });

  // @ts-expect-error exactly<T>() refuses a schema with a field T does not have
  exactly<{ a: number }>()(z.object({ a: z.number(), b: z.number() }));
  exactly<{ a: number; b?: string }>()(z.object({ a: z.number(), b: z.optional(z.string()) }));

  // The host can only send checked events.
  // @ts-expect-error an event that is not a TriageEvent
  const bad: HostToPanel = { type: 'events', events: [{ type: 'exfiltrate' }] };
  const good: HostToPanel = { type: 'events', events: [{ type: 'text_delta', step: 1, text: 'hi' }] };
  void [bad, good];
}

import * as z from 'zod/mini';
import type { TriageEvent } from '../shared/events';
import { checkEvent } from '../shared/eventSchemas';
import { hostToPanelWith, type HostToPanel } from './protocol';

// Apart from protocol.ts so that the extension host, which only sends these messages, does not
// bundle the event schemas.

/**
 * What the panel checks first: the envelope, its events left unchecked so that `readHostToPanel`
 * can check them one by one — one event the panel does not know (a newer engine, an older ledger)
 * must not cost it the whole batch.
 */
const hostToPanelEnvelope = hostToPanelWith(z.unknown());

export interface RejectedEvent {
  /** Position in the message's `events`. */
  index: number;
  type: string;
  problem: string;
}

/** A message from the host, its events checked one by one; undefined when the envelope itself is not ours. */
export function readHostToPanel(raw: unknown): { message: HostToPanel; rejected: RejectedEvent[] } | undefined {
  const parsed = hostToPanelEnvelope.safeParse(raw);
  if (!parsed.success) return undefined;
  const envelope = parsed.data;
  if (envelope.type === 'busy') return { message: envelope, rejected: [] };
  const events: TriageEvent[] = [];
  const rejected: RejectedEvent[] = [];
  envelope.events.forEach((raw, index) => {
    const checked = checkEvent(raw);
    if (checked.ok) events.push(checked.event);
    else rejected.push({ index, type: checked.type, problem: checked.problem });
  });
  return { message: { ...envelope, events }, rejected };
}

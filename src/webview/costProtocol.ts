import { z } from 'zod';
import type { CallRecord, CostSummary } from '../cost/costLedger';

/** Messages of the Cost view, both ways; validated on receipt like the panel's. */
export const costViewToHost = z.discriminatedUnion('type', [z.object({ type: z.literal('ready') }), z.object({ type: z.literal('reset') }), z.object({ type: z.literal('exportCsv') })]);
export type CostViewToHost = z.infer<typeof costViewToHost>;

export const hostToCostView = z.object({
  type: z.literal('data'),
  records: z.array(z.looseObject({ runId: z.string(), totalMs: z.number() })).transform((r) => r as unknown as CallRecord[]),
  totals: z.record(z.enum(['run', 'session', 'all']), z.looseObject({ calls: z.number() }).transform((s) => s as unknown as CostSummary)),
});
export interface HostToCostView {
  type: 'data';
  records: CallRecord[];
  totals: Record<'run' | 'session' | 'all', CostSummary>;
}

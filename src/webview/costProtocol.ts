import * as z from 'zod/mini';
import type { CallRecord, CostSummary } from '../shared/costRecord';

/** Messages of the Cost view, both ways; validated on receipt like the panel's. */
export const costViewToHost = z.discriminatedUnion('type', [z.object({ type: z.literal('ready') }), z.object({ type: z.literal('reset') }), z.object({ type: z.literal('exportCsv') })]);
export type CostViewToHost = z.infer<typeof costViewToHost>;

const summary = z.pipe(z.looseObject({ calls: z.number() }), z.transform((s) => s as unknown as CostSummary));
export const hostToCostView = z.object({
  type: z.literal('data'),
  records: z.pipe(z.array(z.looseObject({ runId: z.string(), totalMs: z.number() })), z.transform((r) => r as unknown as CallRecord[])),
  totals: z.object({ run: summary, session: summary, all: summary }),
});
export interface HostToCostView {
  type: 'data';
  records: CallRecord[];
  totals: Record<'run' | 'session' | 'all', CostSummary>;
}

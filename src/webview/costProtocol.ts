import * as z from 'zod/mini';
import { callRecordSchema, costSummarySchema } from '../shared/costRecordSchemas';

/**
 * Messages of the Cost view, both ways, declared once: schemas, with the types inferred from
 * them; validated on receipt like the panel's. The records' and totals' types are the cost
 * ledger's (src/shared/costRecord.ts); their one schema (src/shared/costRecordSchemas.ts) is
 * checked against them by the compiler. Message types and fields are camelCase, like the ledger's records and the DOM.
 */
export const costViewToHost = z.discriminatedUnion('type', [z.object({ type: z.literal('ready') }), z.object({ type: z.literal('reset') }), z.object({ type: z.literal('exportCsv') })]);
export type CostViewToHost = z.infer<typeof costViewToHost>;

export const hostToCostView = z.object({
  type: z.literal('data'),
  records: z.array(callRecordSchema),
  totals: z.object({ run: costSummarySchema, session: costSummarySchema, all: costSummarySchema }),
});
export type HostToCostView = z.infer<typeof hostToCostView>;

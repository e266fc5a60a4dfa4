import * as z from 'zod/mini';
import type { CallRecord, CostSummary } from '../shared/costRecord';
import { exactly } from './exactSchema';

/**
 * Messages of the Cost view, both ways, declared once: schemas, with the types inferred from
 * them; validated on receipt like the panel's. The records' and totals' types are the cost
 * ledger's (src/shared/costRecord.ts); their schemas here are checked against them by the
 * compiler. Message types and fields are camelCase, like the ledger's records and the DOM.
 */
export const costViewToHost = z.discriminatedUnion('type', [z.object({ type: z.literal('ready') }), z.object({ type: z.literal('reset') }), z.object({ type: z.literal('exportCsv') })]);
export type CostViewToHost = z.infer<typeof costViewToHost>;

const num = z.number();
const maybe = z.nullable(num);
const percentiles = z.object({ p50: maybe, p95: maybe });

const callRecord = exactly<CallRecord>()(
  z.object({
    time: z.string(),
    runId: z.string(),
    step: num,
    model: z.string(),
    pricedAs: z.nullable(z.string()),
    inputTokens: num,
    cacheWrite5mTokens: num,
    cacheWrite1hTokens: num,
    cacheReadTokens: num,
    outputTokens: num,
    costUsd: maybe,
    uncachedCostUsd: maybe,
    ttftMs: maybe,
    totalMs: num,
    outputTokensPerSecond: maybe,
    cacheHitShare: num,
  }),
);

const costSummary = exactly<CostSummary>()(
  z.object({
    calls: num,
    inputTokens: num,
    cacheWriteTokens: num,
    cacheReadTokens: num,
    outputTokens: num,
    costUsd: num,
    unpricedCalls: num,
    savedUsd: num,
    cacheHitRate: num,
    ttftMs: percentiles,
    totalMs: percentiles,
  }),
);

export const hostToCostView = z.object({
  type: z.literal('data'),
  records: z.array(callRecord),
  totals: z.object({ run: costSummary, session: costSummary, all: costSummary }),
});
export type HostToCostView = z.infer<typeof hostToCostView>;

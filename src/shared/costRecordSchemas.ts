import * as z from 'zod/mini';
import type { CallRecord, CostSummary } from './costRecord';
import { exactly } from './exactSchema';

// The cost records' one schema, for their two readers: the cost ledger (lines from this or an
// older version, or damaged) and the Cost view (a message from the extension host).

const num = z.number();
const maybe = z.nullable(num);
const percentiles = z.object({ p50: maybe, p95: maybe });

export const callRecordSchema = exactly<CallRecord>()(
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

export const costSummarySchema = exactly<CostSummary>()(
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

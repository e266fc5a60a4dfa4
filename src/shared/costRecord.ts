// Cost records as the ledger stores them and the cost view shows them: types only, shared with the webview.

/** One API call, as the cost view and the CSV export show it. Every figure comes from the API's usage. */
export interface CallRecord {
  time: string;
  runId: string;
  step: number;
  model: string;
  pricedAs: string | null;
  inputTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
  cacheReadTokens: number;
  outputTokens: number;
  costUsd: number | null;
  uncachedCostUsd: number | null;
  ttftMs: number | null;
  totalMs: number;
  outputTokensPerSecond: number | null;
  /** Cache reads over all input tokens of the call. */
  cacheHitShare: number;
}

export interface CostSummary {
  calls: number;
  inputTokens: number;
  cacheWriteTokens: number;
  cacheReadTokens: number;
  outputTokens: number;
  /** Dollars over the calls with a known price. */
  costUsd: number;
  /** Calls whose model had no known price: their cost is not in `costUsd`. */
  unpricedCalls: number;
  /** What the priced calls would have cost uncached, minus what they cost. */
  savedUsd: number;
  /** Cache reads over all input tokens. */
  cacheHitRate: number;
  ttftMs: { p50: number | null; p95: number | null };
  totalMs: { p50: number | null; p95: number | null };
}

export type Scope = { kind: 'run'; runId: string } | { kind: 'session' } | { kind: 'all' };

/**
 * Every setting's default and bounds, defined once. The engine, the VS Code settings reader and
 * the CLI's flags and usage text read them here; a unit test holds package.json's
 * `contributes.configuration` (which VS Code needs as static JSON) to the same values.
 */
export const DEFAULTS = {
  model: 'claude-sonnet-5-5',
  maxSteps: 12,
  maxOutputTokens: 16_000,
  thinking: 'off',
  thinkingBudgetTokens: 4_096,
  cacheTtl: '5m',
  toolTimeoutSeconds: 20,
  streamTimeoutSeconds: 45,
  /** Which files count as logs when no globs are configured. */
  logGlobs: ['**/*.log', '**/*.log.[0-9]*', '**/*.log.gz', '**/logs/**', '**/*.jsonl', '**/*.jsonl.gz'],
} as const;

/** Inclusive bounds of the numeric settings, as `[min, max]`. */
export const LIMITS = {
  maxSteps: [1, 50],
  thinkingBudgetTokens: [1_024, 64_000],
  toolTimeoutSeconds: [1, 300],
  streamTimeoutSeconds: [1, 600],
  budgetTokens: [1_000, 100_000_000],
} as const satisfies Record<string, readonly [number, number]>;

/** How long cache entries live: 5 minutes (refreshed on every hit) or 1 hour, or no caching. */
export type CacheTtl = '5m' | '1h' | 'off';
export const CACHE_TTLS = ['5m', '1h', 'off'] as const satisfies readonly CacheTtl[];

/** Asked of the user: `off`, let the model decide (`auto`), or a manual budget in tokens. */
export type ThinkingSetting = { mode: 'off' } | { mode: 'auto' } | { mode: 'budget'; budgetTokens: number };

/** Per-run limits; near them the report is requested early and the run ends with reason `budget`. */
export interface RunBudget {
  maxUsd?: number;
  /** Input plus output tokens over all of the run's API calls. */
  maxTokens?: number;
}

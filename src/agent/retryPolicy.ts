import Anthropic from '@anthropic-ai/sdk';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';
import { classifyApiError } from './apiErrors';

/** Attempts of one step before the decision goes to the user (or the run fails, headless). */
export const MAX_ATTEMPTS = 4;
/** Waiting longer than this in total is the user's call, not ours. */
export const RETRY_BUDGET_MS = 60_000;
/** A stream with no event for this long is taken for stalled: the SDK's timeout covers only the headers. */
export const DEFAULT_IDLE_TIMEOUT_MS = 45_000;

/** How long the API asked us to wait: retry-after-ms, retry-after (seconds or a date), or a rate-limit reset. */
export function serverAdvisedDelayMs(err: unknown, now = Date.now()): number | undefined {
  if (!(err instanceof Anthropic.APIError)) return undefined;
  const headers = (err as InstanceType<typeof Anthropic.APIError>).headers;
  if (!headers) return undefined;
  const get = (name: string): string | undefined => headers.get(name) ?? undefined;
  const ms = Number(get('retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && get('retry-after-ms') !== undefined) return ms;
  const after = get('retry-after');
  if (after !== undefined) {
    const seconds = Number(after);
    // A negative value would count against the time already waited: treat it as "now".
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(after);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const resets = ['requests', 'tokens', 'input-tokens', 'output-tokens']
    .map((kind) => get(`anthropic-ratelimit-${kind}-reset`))
    .filter((v): v is string => v !== undefined)
    .map((v) => Date.parse(v) - now)
    .filter((d) => Number.isFinite(d) && d > 0);
  return resets.length ? Math.max(...resets) : undefined;
}

export interface RetryOptions {
  /** Cancels the run: a wait in progress ends at once and no further attempt is made. */
  signal: AbortSignal;
  /** First backoff delay when the server gives no retry-after (default 1 s, doubling with jitter). */
  initialDelayMs?: number;
  /** Total waiting allowed before the caller hands the decision over (default RETRY_BUDGET_MS). */
  budgetMs?: number;
  /** Called before each wait, with the failure that caused it. */
  onRetry(info: { delayMs: number; error: unknown }): void;
}

/**
 * The one retry layer (the SDK's own retries are off): at most MAX_ATTEMPTS attempts, waits that
 * follow the server's retry-after or back off exponentially with jitter (cockatiel's
 * decorrelated-jitter generator), and no wait that would push the total past the budget — past
 * that the caller hands the decision over. `attempt` gets the 0-based attempt number.
 *
 * The loop is ours rather than cockatiel's `retry()` because its wait is either referenced and
 * deaf to the abort signal (a cancel would wait out a 30 s retry-after) or unreferenced, which let
 * the CLI exit with code 0 in the middle of a wait. This wait keeps the process alive and ends
 * the moment the run is cancelled.
 */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const initialDelay = options.initialDelayMs ?? 1000;
  const budgetMs = options.budgetMs ?? RETRY_BUDGET_MS;
  const factory = new ExponentialBackoff({ initialDelay, maxDelay: 16 * initialDelay });
  let backoff: IBackoff<unknown> | undefined;
  let waited = 0;
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (options.signal.aborted || n + 1 >= MAX_ATTEMPTS || !classifyApiError(err).transient) throw err;
      backoff = backoff ? backoff.next(undefined) : factory.next();
      const delayMs = Math.round(serverAdvisedDelayMs(err) ?? backoff.duration);
      if (waited + delayMs > budgetMs) throw err;
      waited += delayMs;
      options.onRetry({ delayMs, error: err });
      // Referenced (it keeps the process alive) and abortable (it rejects at once on cancel).
      await sleep(delayMs, undefined, { signal: options.signal });
    }
  }
}

import Anthropic from '@anthropic-ai/sdk';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExponentialBackoff, type IBackoff } from 'cockatiel';

/** Attempts of one step before the decision goes to the user (or the run fails, headless). */
export const MAX_ATTEMPTS = 4;
/** Waiting longer than this in total is the user's call, not ours. */
export const RETRY_BUDGET_MS = 60_000;
/** A stream with no event for this long is taken for stalled: the SDK's timeout covers only the headers. */
export const DEFAULT_IDLE_TIMEOUT_MS = 45_000;

/** Thrown when the idle watchdog gives up on a stream that stopped sending events. */
export class StreamStalledError extends Error {
  constructor(readonly idleMs: number) {
    super(`The response stream stalled: nothing arrived for ${(idleMs / 1000).toFixed(idleMs < 10_000 ? 1 : 0)} s.`);
  }
}

/**
 * Whether a failed attempt is worth repeating. Transient: rate limits, overload, server errors,
 * dropped or stalled connections, a stream cut short. Not: the request itself is wrong (400),
 * the key (401) or its rights (403), a missing model (404), a request too large (413) — those
 * get a clear message instead — and the user's own cancel.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof StreamStalledError) return true;
  if (err instanceof Anthropic.APIUserAbortError) return false;
  if (err instanceof Anthropic.APIConnectionError) return true;
  if (err instanceof Anthropic.APIError) {
    if (err.status === undefined) return ['overloaded_error', 'api_error', 'rate_limit_error', 'timeout_error'].includes(String(err.type));
    return err.status === 408 || err.status === 409 || err.status === 429 || err.status >= 500;
  }
  if (err instanceof Error) {
    // A stream cut mid-way: undici's "terminated", an end without message_stop, a broken tool JSON.
    return /terminated|stream ended without producing|ECONNRESET|socket hang up/i.test(err.message) || err.cause instanceof SyntaxError || err instanceof SyntaxError;
  }
  return false;
}

export function isOverloaded(err: unknown): boolean {
  return err instanceof Anthropic.APIError && (err.status === 529 || err.type === 'overloaded_error');
}

/** How long the API asked us to wait: retry-after-ms, retry-after (seconds or a date), or a rate-limit reset. */
export function serverAdvisedDelayMs(err: unknown, now = Date.now()): number | undefined {
  if (!(err instanceof Anthropic.APIError) || !err.headers) return undefined;
  const get = (name: string) => err.headers?.get(name) ?? undefined;
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
      if (options.signal.aborted || n + 1 >= MAX_ATTEMPTS || !isTransient(err)) throw err;
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

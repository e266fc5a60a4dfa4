import Anthropic from '@anthropic-ai/sdk';
import { ExponentialBackoff, handleWhen, retry, type IBackoff, type IBackoffFactory, type IRetryBackoffContext, type RetryPolicy } from 'cockatiel';

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

type Ctx = IRetryBackoffContext<unknown>;

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
    if (Number.isFinite(seconds)) return seconds * 1000;
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

/** Exponential backoff with jitter, replaced by the server's own advice when it gives one. */
function advisedBackoff(inner: IBackoffFactory<Ctx>): IBackoffFactory<Ctx> {
  return {
    next(context: Ctx): IBackoff<Ctx> {
      const base = inner.next(context);
      const advised = 'error' in context.result ? serverAdvisedDelayMs(context.result.error) : undefined;
      return { duration: advised ?? base.duration, next: (c: Ctx) => advisedBackoff(base).next(c) };
    },
  };
}

/**
 * The one retry layer (the SDK's own retries are off): at most MAX_ATTEMPTS attempts, waits that
 * follow the server's retry-after or back off exponentially with jitter, and nothing that would
 * push the total wait past RETRY_BUDGET_MS — past that the caller hands the decision over.
 */
export function createRetryPolicy(initialDelayMs = 1000, budgetMs = RETRY_BUDGET_MS): RetryPolicy {
  let waited = 0;
  const withinBudget = (err: unknown) => (serverAdvisedDelayMs(err) ?? 0) + waited <= budgetMs;
  // Unref'd (a wait abandoned by a cancel must not keep the process alive) before listening:
  // dangerouslyUnref returns a new policy with its own events.
  const policy = retry(
    handleWhen((err) => isTransient(err) && withinBudget(err)),
    { maxAttempts: MAX_ATTEMPTS - 1, backoff: advisedBackoff(new ExponentialBackoff({ initialDelay: initialDelayMs, maxDelay: 16 * initialDelayMs })) },
  ).dangerouslyUnref();
  policy.onRetry(({ delay }) => (waited += delay));
  return policy;
}

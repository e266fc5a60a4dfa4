import Anthropic from '@anthropic-ai/sdk';
import { errorMessage } from '../tools/registry';

/** Thrown when the idle watchdog gives up on a stream that stopped sending events. */
export class StreamStalledError extends Error {
  constructor(readonly idleMs: number) {
    super(`The response stream stalled: nothing arrived for ${(idleMs / 1000).toFixed(idleMs < 10_000 ? 1 : 0)} s.`);
  }
}

export type ApiFailureKind =
  | 'cancelled'
  | 'stalled'
  | 'authentication'
  | 'permission'
  | 'rate_limited'
  | 'overloaded'
  /** The model refused a forced `tool_choice` (some do with thinking on). */
  | 'tool_choice_rejected'
  | 'http'
  | 'stream_error'
  | 'connection'
  | 'bad_tool_json'
  | 'stream_cut'
  | 'unexpected';

export interface ApiFailure {
  kind: ApiFailureKind;
  /**
   * Worth repeating: rate limits, overload, server errors, dropped or stalled connections, a
   * stream cut short. Not: the request itself is wrong (400), the key (401) or its rights (403),
   * a missing model (404), a request too large (413) — those get a clear message instead — and
   * the user's own cancel.
   */
  transient: boolean;
  /** For the engineer, saying what to do where there is something to do. */
  message: string;
}

/**
 * The one place that decides what a failed API call was: the retry policy asks whether it is
 * transient, the loop whether to fall back or to drop the forced tool choice, and every consumer
 * shows its message. The SDK's error classes decide first; text is looked at only for errors
 * that have no class (undici's "terminated", the SDK's "stream ended without producing…").
 */
export function classifyApiError(err: unknown): ApiFailure {
  if (err instanceof StreamStalledError) return { kind: 'stalled', transient: true, message: err.message };
  if (err instanceof Anthropic.APIUserAbortError) return { kind: 'cancelled', transient: false, message: 'Cancelled by the user.' };
  if (err instanceof Anthropic.APIConnectionError) return { kind: 'connection', transient: true, message: `Could not reach the API: ${errorMessage(err)}` };
  if (err instanceof Anthropic.APIError) return classifyApiResponse(err as ApiResponseError);
  const cause = err instanceof Error ? err.cause : undefined;
  if (err instanceof SyntaxError || cause instanceof SyntaxError) {
    return { kind: 'bad_tool_json', transient: true, message: `The API sent a tool call whose arguments are not valid JSON (${errorMessage(err)}); the step was abandoned.` };
  }
  const text = errorMessage(err);
  // A stream cut mid-way: undici's "terminated", an end without message_stop, a reset socket.
  if (err instanceof Error && /terminated|stream ended without producing|ECONNRESET|socket hang up/i.test(text)) {
    return { kind: 'stream_cut', transient: true, message: `The API stream was cut before the response was complete (${text}).` };
  }
  return { kind: 'unexpected', transient: false, message: `Unexpected error: ${text}` };
}

type ApiResponseError = InstanceType<typeof Anthropic.APIError>;

function classifyApiResponse(err: ApiResponseError): ApiFailure {
  const detail = apiMessage(err);
  if (err instanceof Anthropic.AuthenticationError) {
    return { kind: 'authentication', transient: false, message: 'API key rejected (401) — run "Incident Triage: Set API Key" (CLI: set ANTHROPIC_API_KEY).' };
  }
  if (err instanceof Anthropic.PermissionDeniedError) return { kind: 'permission', transient: false, message: `The API key is not allowed to do this (403): ${detail}` };
  if (err instanceof Anthropic.RateLimitError) return { kind: 'rate_limited', transient: true, message: `Rate limited by the API (429): ${detail}` };
  if (err.status === 529 || err.type === 'overloaded_error') {
    return { kind: 'overloaded', transient: true, message: 'The API is overloaded (529). Try again in a minute or use a fallback model.' };
  }
  if (err instanceof Anthropic.BadRequestError && /tool_choice/i.test(err.message)) return { kind: 'tool_choice_rejected', transient: false, message: `API error 400: ${detail}` };
  if (err.status !== undefined) {
    const transient = err.status === 408 || err.status === 409 || err.status >= 500;
    return { kind: 'http', transient, message: `API error ${err.status}: ${detail}` };
  }
  // An error event inside a 200 stream: no status, only the error's type.
  const transient = ['api_error', 'rate_limit_error', 'timeout_error'].includes(String(err.type));
  return { kind: 'stream_error', transient, message: err.type ? `The API stream failed (${err.type}): ${detail}` : `Unexpected error: ${detail}` };
}

function apiMessage(err: ApiResponseError): string {
  const body: { error?: { message?: string } } | undefined = err.error;
  return body?.error?.message ?? err.message;
}

import type { FirstLook } from './firstLook';
import type { VerifiedReport } from './report';

/** Why a run ended. `report` is the only successful outcome. */
export type FinishReason = 'report' | 'max_steps' | 'budget' | 'cancelled' | 'error';

/** Token counts of one API call, exactly as the API's `usage` reported them. */
export interface CallUsage {
  inputTokens: number;
  cacheCreationInputTokens: number;
  /** Split of `cacheCreationInputTokens` by TTL, from `usage.cache_creation`. */
  cacheCreation5mInputTokens: number;
  cacheCreation1hInputTokens: number;
  cacheReadInputTokens: number;
  outputTokens: number;
}

/**
 * The one stream of facts a triage run produces. The CLI, the webview and the ledgers all
 * consume it; nothing else about a run is observable.
 */
export type TriageEvent =
  | {
      type: 'run_started';
      runId: string;
      model: string;
      /** As sent: with any secret in it redacted. */
      description: string;
      descriptionRedactions?: number;
      logFile?: string;
      maxSteps: number;
      thinking: 'off' | 'adaptive' | 'manual';
      startedAt: string;
    }
  /** The engine's look at the logs before the first step (after run_started; never for a follow-up): shown at once, and given to the model in the first message. */
  | { type: 'first_look'; firstLook: FirstLook }
  /** `attempt` > 1: the step is sent again after a failed or stalled stream; discard what the earlier attempt streamed. */
  | { type: 'step_started'; step: number; model: string; forcedReport: boolean; attempt?: number }
  /** A transient failure (rate limit, overload, dropped stream): the step is retried after `delayMs`. */
  | { type: 'retrying'; step: number; attempt: number; delayMs: number; reason: string }
  | { type: 'model_fallback'; step: number; from: string; to: string; reason: string }
  | { type: 'thinking_delta'; step: number; text: string }
  | { type: 'text_delta'; step: number; text: string }
  | { type: 'tool_call_started'; step: number; id: string; name: string }
  | { type: 'tool_input_delta'; step: number; id: string; partialJson: string }
  | { type: 'tool_call_ready'; step: number; id: string; name: string; input: unknown }
  | {
      type: 'tool_result';
      step: number;
      id: string;
      name: string;
      ok: boolean;
      durationMs: number;
      /** The arguments as the model sent them (absent for a call whose result came from validation). */
      input?: unknown;
      /** SHA-256 of what the model received, for the audit trail. */
      resultHash?: string;
      /** What the model received (already capped to the tool-result budget). */
      preview: string;
      /** Set when the output was cut to fit the budget: says what was left out. */
      truncationNote?: string;
      /** Secret values replaced before the result went to the model. */
      redactions?: number;
      /** Structured data for the UI, e.g. a metric series to chart; the model never sees it. */
      data?: unknown;
    }
  | {
      type: 'usage';
      step: number;
      model: string;
      requestId?: string;
      /** SHA-256 of the request body, so the ledger can show which request each cost belongs to. */
      requestHash?: string;
      usage: CallUsage;
      stopReason: string | null;
      /** From sending the request to the first streamed content delta. */
      timeToFirstTokenMs: number | null;
      totalMs: number;
      /** Dollars for this call from its usage; null when the model's price is unknown. */
      costUsd: number | null;
      /** The same call without caching (what caching saved is the difference); null when unknown. */
      uncachedCostUsd: number | null;
      /** The price entry used, which for a new model may be its family's. */
      pricedAs?: string;
    }
  | { type: 'report'; step: number; report: VerifiedReport }
  | {
      type: 'run_finished';
      reason: FinishReason;
      steps: number;
      durationMs: number;
      message: string;
      /** Dollars spent by the run's API calls; null when a model's price was unknown. */
      costUsd: number | null;
      tokens: number;
    }
  | { type: 'error'; step: number; message: string };

export type TriageEventType = TriageEvent['type'];

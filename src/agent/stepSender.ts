import Anthropic from '@anthropic-ai/sdk';
import type { TriageEvent } from '../shared/events';
import type { PriceOverrides } from '../shared/pricing';
import type { Redact } from '../security/redaction';
import type { ToolRegistry } from '../tools/registry';
import { classifyApiError } from './apiErrors';
import { AsyncQueue } from './asyncQueue';
import { planModel, type ModelPlan } from './modelProfile';
import { stepRequest, type TriageRequest } from './opening';
import { DEFAULT_IDLE_TIMEOUT_MS, withRetries } from './retryPolicy';
import type { Spend } from './spend';
import { streamStep } from './streamedStep';
import type { Transcript } from './transcript';

export interface StepSenderOptions {
  client: Anthropic;
  tools: ToolRegistry;
  signal: AbortSignal;
  redact: Redact;
  request: Pick<TriageRequest, 'thinking' | 'maxOutputTokens' | 'cacheTtl' | 'fallbackModel'>;
  pricing?: PriceOverrides;
  /** A stream silent for this long is abandoned and the step retried (default 45 s). */
  idleTimeoutMs?: number;
  /** First backoff delay when the server gives no retry-after (default 1 s, doubling with jitter). */
  retryInitialDelayMs?: number;
  /** Total waiting the retry policy may do for one step before handing over (default 60 s). */
  retryBudgetMs?: number;
  /** Asked when the retry policy gives up on a transient failure: resolve true to try again. */
  onRetryExhausted?: (info: { step: number; message: string }) => Promise<boolean>;
}

/**
 * Sends a step and gets its complete message, whatever it takes: a stream that fails or stalls
 * is discarded and the step sent again (a step whose message completed is never repeated, so no
 * tool runs twice); repeated overload switches to the fallback model; a model that refuses a
 * forced tool choice is asked again without it. When the policy gives up, the user decides
 * (`onRetryExhausted`); headless, the step fails with the reason.
 */
export class StepSender {
  /** False once the model refused a forced tool choice, or when its thinking forbids one. */
  private canForceTool: boolean;
  private fallbackDue = false;

  constructor(
    private plan: ModelPlan,
    private readonly transcript: Transcript,
    private readonly spend: Spend,
    private readonly options: StepSenderOptions,
  ) {
    this.canForceTool = plan.thinking.canForceTool;
  }

  /** The plan in use: it changes when the run falls back to another model. */
  get current(): ModelPlan {
    return this.plan;
  }

  async *send(step: number, maxTokens: number, forceReport: boolean): AsyncGenerator<TriageEvent, Anthropic.Message> {
    try {
      return yield* this.sendWithRetries(step, maxTokens, forceReport);
    } catch (err) {
      // Some models refuse forced tool choice with thinking on: fall back to the closing instruction alone.
      if (!(forceReport && this.canForceTool && classifyApiError(err).kind === 'tool_choice_rejected')) throw err;
      this.canForceTool = false;
      return yield* this.sendWithRetries(step, maxTokens, forceReport);
    }
  }

  private async *sendWithRetries(step: number, maxTokens: number, forceReport: boolean): AsyncGenerator<TriageEvent, Anthropic.Message> {
    const { signal } = this.options;
    // Counted across rounds: after "Retry now" the next attempt is still announced as a new one, so a
    // UI and the ledger discard the failed attempt's partial text.
    let attempts = 0;
    for (;;) {
      const queue = new AsyncQueue<TriageEvent>();
      let overloads = 0;
      const done = withRetries(
        async () => {
          if (attempts++ > 0) {
            await this.applyFallback(step, queue);
            queue.push({ type: 'step_started', step, model: this.plan.model, forcedReport: forceReport, attempt: attempts });
          }
          try {
            return await this.attempt(step, maxTokens, forceReport && this.canForceTool, (e) => queue.push(e));
          } catch (err) {
            const fallback = this.options.request.fallbackModel;
            if (classifyApiError(err).kind === 'overloaded' && ++overloads >= 2 && fallback && fallback !== this.plan.model) this.fallbackDue = true;
            throw err;
          }
        },
        {
          signal,
          initialDelayMs: this.options.retryInitialDelayMs,
          budgetMs: this.options.retryBudgetMs,
          onRetry: ({ delayMs, error }) => queue.push({ type: 'retrying', step, attempt: attempts + 1, delayMs, reason: classifyApiError(error).message }),
        },
      );
      // A cancel ends the wait at once, so `done` settles and the queue closes promptly.
      done.then(
        () => queue.close(),
        () => queue.close(),
      );
      for await (const event of queue) yield event;
      if (signal.aborted) throw new Anthropic.APIUserAbortError();
      try {
        return await done;
      } catch (err) {
        const failure = classifyApiError(err);
        if (signal.aborted || !failure.transient || !this.options.onRetryExhausted) throw err;
        if (!(await this.options.onRetryExhausted({ step, message: (await this.options.redact(failure.message)).text }))) throw err;
      }
    }
  }

  private async attempt(step: number, maxTokens: number, forceReport: boolean, emit: (e: TriageEvent) => void): Promise<Anthropic.Message> {
    const { client, tools, signal, pricing, request } = this.options;
    const params = stepRequest(this.plan, tools, this.transcript, { maxTokens, forceReport, cacheTtl: request.cacheTtl });
    const idleMs = this.options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    const { message, usage, cost } = await streamStep(client, params, { step, signal, idleMs, pricing, emit });
    this.spend.record(usage, cost, this.transcript.length);
    return message;
  }

  /** After repeated overload, later attempts and steps use the fallback model, planned for its capabilities. */
  private async applyFallback(step: number, queue: AsyncQueue<TriageEvent>): Promise<void> {
    const fallback = this.options.request.fallbackModel;
    if (!this.fallbackDue || !fallback) return;
    this.fallbackDue = false;
    const from = this.plan.model;
    this.plan = await planModel(this.options.client, fallback, this.options.request, this.options.signal);
    this.canForceTool = this.plan.thinking.canForceTool;
    queue.push({ type: 'model_fallback', step, from, to: fallback, reason: `${from} was overloaded (529) repeatedly` });
  }
}

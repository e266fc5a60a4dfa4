import { randomUUID } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import type { FinishReason, TriageEvent } from '../shared/events';
import { DEFAULTS } from '../shared/settings';
import type { PriceOverrides } from '../shared/pricing';
import type { TriageReport, VerifiedReport } from '../shared/report';
import { verificationSummaryLine } from '../shared/reportText';
import type { Redact } from '../security/redaction';
import { errorMessage, type RunOptions } from '../tools/registry';
import { classifyApiError } from './apiErrors';
import { toConversation, type Conversation } from './conversation';
import { openConversation, runRedactor, type OpeningContext, type TriageRequest } from './opening';
import { CLOSING_INSTRUCTION, SYSTEM_PROMPT, TRUNCATED_OUTPUT_NOTE } from './prompt';
import { Spend } from './spend';
import { StepSender, type StepSenderOptions } from './stepSender';
import { RunObservations } from './evidence/observations';
import { ReportReview } from './reportReview';
import { executeToolCalls } from './toolExecution';
import type { Transcript } from './transcript';

export type { TriageRequest } from './opening';

/** Calls allowed after the step cap to obtain the report (the second one sees the first one's errors). */
const REPORT_ATTEMPTS = 2;
/** Continuations of a paused turn in a row before the run stops (each is a billed call). */
const MAX_PAUSE_CONTINUATIONS = 5;
/** Output allowed for the report call a budget forces: a report fits well within it. */
const BUDGET_REPORT_MAX_TOKENS = 4_096;

export interface TriageDeps extends OpeningContext, Pick<StepSenderOptions, 'idleTimeoutMs' | 'retryInitialDelayMs' | 'retryBudgetMs' | 'onRetryExhausted'> {
  /** Time one tool call may take (default 20 s). */
  toolTimeoutMs?: number;
  approve?: RunOptions['approve'];
  /** Per-model price overrides (`incidentTriage.pricing`); otherwise genai-prices. */
  pricing?: PriceOverrides;
}

/** A run in progress: iterate it for events; once it has finished, `conversation` continues it. */
export interface TriageRun extends AsyncIterable<TriageEvent> {
  readonly runId: string;
  /** The conversation so far, for a follow-up question. */
  readonly conversation: Conversation;
  readonly report: VerifiedReport | undefined;
}

export function runTriage(request: TriageRequest, deps: TriageDeps): TriageRun {
  const state = new RunState(request, deps);
  return {
    runId: state.runId,
    get conversation() {
      return toConversation(state.transcript?.messages ?? []);
    },
    get report() {
      return state.report;
    },
    [Symbol.asyncIterator]: () => state.events(),
  };
}

/** The step loop: asks for steps, runs their tools, and decides when and how the run ends. */
class RunState {
  readonly runId = randomUUID();
  transcript: Transcript | undefined;
  report: VerifiedReport | undefined;
  private readonly signal: AbortSignal;
  private readonly maxSteps: number;
  private started = 0;
  private steps = 0;
  private iterated = false;
  private readonly spend: Spend;
  /** Every message that leaves the run goes through it, including errors before the run started. */
  private readonly redact: Redact;
  /** tool_use ids already run: a tool never runs twice for the same call. */
  private readonly executed = new Set<string>();
  /** What the run's tools showed the model, for the evidence review. */
  private readonly observations = new RunObservations();
  private readonly review: ReportReview;

  constructor(
    private readonly request: TriageRequest,
    private readonly deps: TriageDeps,
  ) {
    this.signal = deps.signal ?? new AbortController().signal;
    this.maxSteps = request.maxSteps ?? DEFAULTS.maxSteps;
    this.redact = runRedactor(deps);
    const now = deps.now;
    this.review = new ReportReview({ workspaceRoots: deps.workspaceRoots, observations: this.observations, ...(now ? { nowMs: now().getTime() } : {}) });
    const prefixChars = SYSTEM_PROMPT.length + JSON.stringify(deps.tools.definitions()).length;
    this.spend = new Spend(request.budget, deps.pricing, request.cacheTtl ?? DEFAULTS.cacheTtl, prefixChars);
  }

  async *events(): AsyncGenerator<TriageEvent, void> {
    if (this.iterated) throw new Error('A triage run can be iterated only once');
    this.iterated = true;
    this.started = performance.now();
    for await (const event of this.unredactedEvents()) yield await this.redactMessages(event);
  }

  private async *unredactedEvents(): AsyncGenerator<TriageEvent, void> {
    try {
      yield* this.loop();
    } catch (err) {
      // A bug or an unexpected failure ends the run with a reason, never an exception in the consumer.
      const message = `Internal error: ${errorMessage(err)}`;
      yield { type: 'error', step: this.steps, message };
      yield* this.finish('error', message);
    }
  }

  /**
   * Error texts come from the SDK, fetch, the file system and tools, and can quote what they
   * failed on (a header with the key, a line of a config file): every consumer — the terminal,
   * the ledger, the output channel, the panel — receives them redacted, from this one place.
   */
  private async redactMessages(event: TriageEvent): Promise<TriageEvent> {
    switch (event.type) {
      case 'error':
        return { ...event, message: (await this.redact(event.message)).text };
      case 'run_finished':
        return { ...event, message: (await this.redact(event.message)).text };
      case 'retrying':
        return { ...event, reason: (await this.redact(event.reason)).text };
      // Each of these is redacted where it is made (the description, tool output and its preview) or
      // carries no text from outside (model deltas are the model's own words about redacted input).
      // A new event with free text must be placed here on purpose: lint requires every case.
      case 'run_started':
      case 'step_started':
      case 'model_fallback':
      case 'thinking_delta':
      case 'text_delta':
      case 'tool_call_started':
      case 'tool_input_delta':
      case 'tool_call_ready':
      case 'tool_result':
      case 'usage':
      case 'report':
        return event;
    }
  }

  private async *loop(): AsyncGenerator<TriageEvent, void> {
    const { tools } = this.deps;
    const opening = await openConversation(this.request, { ...this.deps, signal: this.signal }, this.redact);
    const transcript = (this.transcript = opening.transcript);
    const description = opening.description;
    yield {
      type: 'run_started',
      runId: this.runId,
      model: opening.plan.model,
      description: description.text,
      ...(description.count ? { descriptionRedactions: description.count } : {}),
      ...(this.request.logFile ? { logFile: this.request.logFile } : {}),
      maxSteps: this.maxSteps,
      // What is sent, as the model's capabilities allow: not what was asked for.
      thinking: opening.plan.thinking.kind,
      startedAt: (this.deps.now?.() ?? new Date()).toISOString(),
    };

    const sender = new StepSender(opening.plan, transcript, this.spend, { ...this.deps, signal: this.signal, redact: this.redact, request: this.request });
    const now = this.deps.now;
    let mayResubmit = () => false; // set per step below: whether a rejected report can still be corrected
    const toolRun = {
      tools,
      // Tools count "the last 30 minutes" from the run's clock, in epoch ms.
      context: { workspaceRoots: this.deps.workspaceRoots, signal: this.signal, ...(now ? { now: () => now().getTime() } : {}) },
      options: { timeoutMs: this.deps.toolTimeoutMs ?? DEFAULTS.toolTimeoutSeconds * 1000, approve: this.deps.approve, redact: this.redact },
      boundary: transcript.boundary.value,
      executed: this.executed,
      observations: this.observations,
      settleReport: (report: TriageReport, signal: AbortSignal) => this.review.settle(report, signal, mayResubmit()),
    };

    let needReport = false; // set when the model stops without a report
    let reportAttempts = 0;
    let budgetHit: string | undefined; // what budget forced the report, once one has
    let pauses = 0; // consecutive pause_turn continuations
    while (true) {
      if (this.signal.aborted) return yield* this.finish('cancelled', 'Cancelled by the user.');
      const plan = sender.current;
      const capReached = this.steps >= this.maxSteps;
      let stepMaxTokens = plan.maxTokens;
      budgetHit ??= this.spend.overBudget(plan.model, plan.maxTokens, transcript);
      if (budgetHit) {
        // Near the limit: one smaller call for the report instead of overshooting.
        const thinking = plan.thinking.param;
        stepMaxTokens = Math.min(plan.maxTokens, Math.max(BUDGET_REPORT_MAX_TOKENS, thinking?.type === 'enabled' ? thinking.budget_tokens + 1024 : 0));
        const still = this.spend.overBudget(plan.model, stepMaxTokens, transcript);
        if (still || reportAttempts >= 1) {
          return yield* this.finish(
            'budget',
            `Stopped at the ${still ?? budgetHit}: the next request could exceed it${reportAttempts ? ' and no valid report came' : ', so no report was requested'}.`,
          );
        }
      }
      // A paused turn goes back as the last message, as is: a closing instruction after it would end it.
      const resuming = pauses > 0;
      const mustReport = !resuming && (needReport || capReached || budgetHit !== undefined);
      if (mustReport) {
        if (reportAttempts >= REPORT_ATTEMPTS) {
          const msg = `Stopped after ${this.steps} steps: the model did not submit a valid report when asked.`;
          return yield* this.finish(capReached ? 'max_steps' : 'error', msg);
        }
        reportAttempts++;
        transcript.appendUser([{ type: 'text', text: CLOSING_INSTRUCTION }]);
      }
      const step = ++this.steps;
      yield { type: 'step_started', step, model: plan.model, forcedReport: mustReport };

      let message: Anthropic.Message;
      try {
        message = yield* sender.send(step, stepMaxTokens, mustReport);
      } catch (err) {
        if (this.signal.aborted || err instanceof Anthropic.APIUserAbortError) {
          return yield* this.finish('cancelled', 'Cancelled by the user; the transcript up to the last completed step is kept.');
        }
        return yield* this.fail(step, classifyApiError(err).message);
      }

      if (message.stop_reason === 'pause_turn' && !message.content.some((b) => b.type === 'tool_use')) {
        // The API paused a long turn (server-side work): sending it back lets the model continue it.
        if (++pauses > MAX_PAUSE_CONTINUATIONS) {
          return yield* this.fail(step, `The model paused its turn ${MAX_PAUSE_CONTINUATIONS} times in a row without finishing it; stopped to bound the cost.`);
        }
        transcript.appendAssistant(message.content);
        continue;
      }
      pauses = 0;

      switch (message.stop_reason) {
        case 'max_tokens':
          transcript.appendCutOff(message.content);
          transcript.appendUser([{ type: 'text', text: TRUNCATED_OUTPUT_NOTE }]);
          continue;
        case 'refusal':
          return yield* this.fail(step, 'The model declined to continue this request (stop reason: refusal).');
        case 'model_context_window_exceeded':
          return yield* this.fail(step, "The conversation no longer fits in the model's context window. Start a new triage with a narrower description or file.");
        case 'end_turn':
        case 'stop_sequence':
        case 'tool_use':
        case 'pause_turn': // with a tool call in it: the calls run like any other turn's
        case null:
          break;
      }

      transcript.appendAssistant(message.content);
      const toolUses = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      if (toolUses.length === 0) {
        // end_turn, stop_sequence or an unknown reason without a report: ask for it.
        needReport = true;
        continue;
      }
      // A correction is one more step: only when the step cap's report attempts and the budget leave room for it.
      mayResubmit = () =>
        !this.signal.aborted && budgetHit === undefined && (!mustReport || reportAttempts < REPORT_ATTEMPTS) && this.spend.overBudget(plan.model, plan.maxTokens, transcript) === undefined;
      const batch = yield* executeToolCalls(step, toolUses, toolRun);
      transcript.appendToolResults(batch.results);
      if (batch.report) {
        this.report = batch.report;
        yield { type: 'report', step, report: batch.report };
        const checked = verificationSummaryLine(batch.report);
        if (budgetHit) return yield* this.finish('budget', `Near the ${budgetHit}: the report was requested early, with the evidence gathered so far; ${checked}.`);
        return capReached
          ? yield* this.finish('max_steps', `Step cap of ${this.maxSteps} reached; the report was requested with the evidence gathered so far; ${checked}.`)
          : yield* this.finish('report', `Report submitted after ${this.steps} step${this.steps === 1 ? '' : 's'}; ${checked}.`);
      }
      if (this.signal.aborted) return yield* this.finish('cancelled', 'Cancelled by the user.');
    }
  }

  private async *fail(step: number, message: string): AsyncGenerator<TriageEvent, void> {
    yield { type: 'error', step, message };
    yield* this.finish('error', message);
  }

  private async *finish(reason: FinishReason, message: string): AsyncGenerator<TriageEvent, void> {
    const uncorrected = reason === 'cancelled' || this.report ? undefined : this.review.uncorrected();
    if (uncorrected) {
      this.report = uncorrected;
      yield { type: 'report', step: this.steps, report: uncorrected };
      message += ' The report sent back for failing evidence is shown as it was, flagged.';
    }
    yield { type: 'run_finished', reason, steps: this.steps, durationMs: Math.round(performance.now() - this.started), message, costUsd: this.spend.usd, tokens: this.spend.tokens };
  }
}

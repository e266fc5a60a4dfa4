import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import type { CallUsage, FinishReason, TriageEvent } from '../shared/events';
import { loadModelProfile, planThinking, type ThinkingPlan, type ThinkingSetting } from './modelProfile';
import { CLOSING_INSTRUCTION, SYSTEM_PROMPT, TRUNCATED_OUTPUT_NOTE, incidentMessage } from './prompt';
import { REPORT_TOOL_NAME, type TriageReport } from '../shared/report';
import { AsyncQueue } from './asyncQueue';
import { announceBoundary, boundaryOf, newBoundary, wrapToolOutput } from './toolOutputBoundary';
import { buildRequest, type CacheTtl } from './request';
import { DEFAULT_IDLE_TIMEOUT_MS, StreamStalledError, isOverloaded, isTransient, withRetries } from './retryPolicy';
import { priceCall, type PriceOverrides } from '../cost/prices';
import { redactorFor } from '../security/knownSecrets';
import type { Redact } from '../security/redaction';
import { formatUsd } from '../cost/format';
import { DEFAULT_TOOL_TIMEOUT_MS, errorMessage, type LogToolSettings, type MetricsSettings, type RunOptions, type ToolCallOutcome, type ToolRegistry } from '../tools/registry';

export const DEFAULT_MODEL = 'claude-sonnet-5-5';
export const DEFAULT_MAX_STEPS = 12;
export const DEFAULT_MAX_OUTPUT_TOKENS = 16_000;
/** Calls allowed after the step cap to obtain the report (the second one sees the first one's errors). */
const REPORT_ATTEMPTS = 2;
/** Continuations of a paused turn in a row before the run stops (each is a billed call). */
const MAX_PAUSE_CONTINUATIONS = 5;
/** Output allowed for the report call a budget forces: a report fits well within it. */
const BUDGET_REPORT_MAX_TOKENS = 4_096;
/** Conservative characters per token for estimating the input of the next request. */
const CHARS_PER_TOKEN_ESTIMATE = 3;

export interface TriageRequest {
  description: string;
  /** Workspace-relative or absolute path of a log file to start from. */
  logFile?: string;
  model?: string;
  maxSteps?: number;
  thinking?: ThinkingSetting;
  maxOutputTokens?: number;
  /** The transcript of an earlier run: a follow-up question continues that conversation. */
  history?: readonly Anthropic.MessageParam[];
  /** Used for the rest of the run when the primary model is repeatedly overloaded (529). */
  fallbackModel?: string;
  /** Prompt-cache lifetime: 5 minutes (default), 1 hour for incidents with long human pauses, or off. */
  cacheTtl?: CacheTtl;
  /** Per-run limits; near them the report is requested early and the run ends with reason `budget`. */
  budget?: RunBudget;
}

export interface RunBudget {
  maxUsd?: number;
  /** Input plus output tokens over all of the run's API calls. */
  maxTokens?: number;
}

export interface TriageDeps {
  client: Anthropic;
  /** Must include `submit_triage_report`. */
  tools: ToolRegistry;
  workspaceRoots: readonly string[];
  signal?: AbortSignal;
  toolTimeoutMs?: number;
  approve?: RunOptions['approve'];
  logs?: LogToolSettings;
  metrics?: MetricsSettings;
  /** A stream silent for this long is abandoned and the step retried (default 45 s). */
  idleTimeoutMs?: number;
  /** First backoff delay when the server gives no retry-after (default 1 s, doubling with jitter). */
  retryInitialDelayMs?: number;
  /** Total waiting the retry policy may do for one step before handing over (default 60 s). */
  retryBudgetMs?: number;
  /**
   * Asked when the retry policy gives up on a transient failure (about a minute of waiting or
   * four attempts): resolve true to try again. Without it the run ends with the error.
   */
  onRetryExhausted?: (info: { step: number; message: string }) => Promise<boolean>;
  /** Per-model price overrides (`incidentTriage.pricing`); otherwise genai-prices. */
  pricing?: PriceOverrides;
  now?: () => Date;
}

/** A run in progress: iterate it for events; `messages` holds the transcript so far. */
export interface TriageRun extends AsyncIterable<TriageEvent> {
  readonly runId: string;
  readonly messages: readonly Anthropic.MessageParam[];
  readonly report: TriageReport | undefined;
}

/**
 * Exactly what the first API call of this request would send — tools, system prompt, the
 * incident message with every secret already replaced by [REDACTED:kind] — without sending it.
 */
export async function previewRequest(request: TriageRequest, deps: Pick<TriageDeps, 'client' | 'tools' | 'workspaceRoots' | 'now' | 'metrics'>): Promise<Anthropic.MessageCreateParamsStreaming> {
  const model = request.model ?? DEFAULT_MODEL;
  const profile = await loadModelProfile(deps.client, model);
  const maxTokens = Math.min(profile.maxOutputTokens, request.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS);
  const description = (await redactorFor([deps.client.apiKey, deps.metrics?.prometheus?.bearerToken])(request.description)).text;
  const text = userText(request, deps, description, conversationBoundary(request.history ?? []));
  return buildRequest({
    model,
    maxTokens,
    tools: deps.tools.definitions(),
    messages: [...(request.history ?? []), { role: 'user', content: [{ type: 'text', text }] }],
    thinking: planThinking(request.thinking ?? { mode: 'off' }, profile, maxTokens).param,
    cacheTtl: request.cacheTtl,
  });
}

export function runTriage(request: TriageRequest, deps: TriageDeps): TriageRun {
  const state = new RunState(request, deps);
  return {
    runId: state.runId,
    get messages() {
      return state.messages;
    },
    get report() {
      return state.report;
    },
    [Symbol.asyncIterator]: () => state.events(),
  };
}

class RunState {
  readonly runId = randomUUID();
  readonly messages: Anthropic.MessageParam[];
  report: TriageReport | undefined;
  private readonly signal: AbortSignal;
  private model: string;
  private readonly maxSteps: number;
  private started = 0;
  private steps = 0;
  private iterated = false;
  private spentUsd: number | null = 0;
  /** The model's plan, recomputed when the run falls back to another model. */
  private maxTokens = DEFAULT_MAX_OUTPUT_TOKENS;
  private thinking: ThinkingPlan = { kind: 'off', canForceTool: true };
  private canForceTool = true;
  private readonly fallbackModel: string | undefined;
  private fallbackDue = false;
  /** tool_use ids already run: a tool never runs twice for the same call. */
  private readonly executed = new Set<string>();
  private spentTokens = 0;
  /** Total input tokens of the last call and the transcript length it covered: the base of the next estimate. */
  private lastInput = { tokens: 0, messages: 0 };
  private readonly redact: Redact;
  /** Delimits tool output in this conversation (see toolOutputBoundary.ts). */
  private readonly boundary: ConversationBoundary;

  constructor(
    private readonly request: TriageRequest,
    private readonly deps: TriageDeps,
  ) {
    if (!deps.tools.has(REPORT_TOOL_NAME)) throw new Error(`The tool registry must include ${REPORT_TOOL_NAME}`);
    this.signal = deps.signal ?? new AbortController().signal;
    this.model = request.model ?? DEFAULT_MODEL;
    this.maxSteps = request.maxSteps ?? DEFAULT_MAX_STEPS;
    this.fallbackModel = request.fallbackModel || undefined;
    this.messages = [...(request.history ?? [])];
    this.boundary = conversationBoundary(this.messages);
    // The secrets this run holds (its API key, a Prometheus token) by value, then secrets by shape.
    this.redact = redactorFor([deps.client.apiKey, deps.metrics?.prometheus?.bearerToken]);
  }

  async *events(): AsyncGenerator<TriageEvent> {
    if (this.iterated) throw new Error('A triage run can be iterated only once');
    this.iterated = true;
    this.started = performance.now();
    for await (const event of this.unredactedEvents()) yield await this.redactMessages(event);
  }

  private async *unredactedEvents(): AsyncGenerator<TriageEvent> {
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
      case 'error': {
        const detail = event.detail === undefined ? {} : { detail: (await this.redact(event.detail)).text };
        return { ...event, message: (await this.redact(event.message)).text, ...detail };
      }
      case 'run_finished':
        return { ...event, message: (await this.redact(event.message)).text };
      case 'retrying':
        return { ...event, reason: (await this.redact(event.reason)).text };
      default:
        return event;
    }
  }

  private async *loop(): AsyncGenerator<TriageEvent> {
    const thinkingSetting = this.request.thinking ?? { mode: 'off' };
    // The description can hold a pasted token or connection string: redacted like log lines.
    const description = await this.redact(this.request.description);

    yield {
      type: 'run_started',
      runId: this.runId,
      model: this.model,
      description: description.text,
      ...(description.count ? { descriptionRedactions: description.count } : {}),
      ...(this.request.logFile ? { logFile: this.request.logFile } : {}),
      maxSteps: this.maxSteps,
      thinking: thinkingSetting.mode === 'off' ? 'off' : thinkingSetting.mode === 'auto' ? 'adaptive' : 'manual',
      startedAt: (this.deps.now?.() ?? new Date()).toISOString(),
    };

    await this.planFor(this.model);

    this.appendUserContent([{ type: 'text', text: userText(this.request, this.deps, description.text, this.boundary) }]);

    let needReport = false; // set when the model stops without a report
    let reportAttempts = 0;
    let budgetHit: string | undefined; // what budget forced the report, once one has
    let pauses = 0; // consecutive pause_turn continuations
    while (true) {
      if (this.signal.aborted) return yield* this.finish('cancelled', 'Cancelled by the user.');
      const capReached = this.steps >= this.maxSteps;
      let stepMaxTokens = this.maxTokens;
      budgetHit ??= this.overBudget(this.maxTokens);
      if (budgetHit) {
        // Near the limit: one smaller call for the report instead of overshooting.
        const thinking = this.thinking.param;
        stepMaxTokens = Math.min(this.maxTokens, Math.max(BUDGET_REPORT_MAX_TOKENS, thinking?.type === 'enabled' ? thinking.budget_tokens + 1024 : 0));
        const still = this.overBudget(stepMaxTokens);
        if (still || reportAttempts >= 1) {
          return yield* this.finish('budget', `Stopped at the ${still ?? budgetHit}: the next request could exceed it${reportAttempts ? ' and no valid report came' : ', so no report was requested'}.`);
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
        this.appendUserContent([{ type: 'text', text: CLOSING_INSTRUCTION }]);
      }
      const step = ++this.steps;
      yield { type: 'step_started', step, model: this.model, forcedReport: mustReport };

      let message: Anthropic.Message;
      try {
        try {
          message = yield* this.stepWithRetries(step, stepMaxTokens, mustReport);
        } catch (err) {
          // Some models refuse forced tool choice with thinking on: fall back to the closing instruction alone.
          if (!(mustReport && this.canForceTool && isToolChoiceRejection(err))) throw err;
          this.canForceTool = false;
          message = yield* this.stepWithRetries(step, stepMaxTokens, mustReport);
        }
      } catch (err) {
        if (this.signal.aborted || err instanceof Anthropic.APIUserAbortError) {
          return yield* this.finish('cancelled', 'Cancelled by the user; the transcript up to the last completed step is kept.');
        }
        const msg = describeApiError(err);
        yield { type: 'error', step, message: msg };
        return yield* this.finish('error', msg);
      }

      if (message.stop_reason === 'pause_turn' && !message.content.some((b) => b.type === 'tool_use')) {
        // The API paused a long turn (server-side work): sending it back lets the model continue it.
        if (++pauses > MAX_PAUSE_CONTINUATIONS) {
          const msg = `The model paused its turn ${MAX_PAUSE_CONTINUATIONS} times in a row without finishing it; stopped to bound the cost.`;
          yield { type: 'error', step, message: msg };
          return yield* this.finish('error', msg);
        }
        this.appendAssistantContent(message.content);
        continue;
      }
      pauses = 0;

      switch (message.stop_reason) {
        case 'max_tokens':
          this.keepCompleteBlocks(message.content);
          this.appendUserContent([{ type: 'text', text: TRUNCATED_OUTPUT_NOTE }]);
          continue;
        case 'refusal': {
          const msg = 'The model declined to continue this request (stop reason: refusal).';
          yield { type: 'error', step, message: msg };
          return yield* this.finish('error', msg);
        }
        case 'model_context_window_exceeded': {
          const msg = "The conversation no longer fits in the model's context window. Start a new triage with a narrower description or file.";
          yield { type: 'error', step, message: msg };
          return yield* this.finish('error', msg);
        }
      }

      this.appendAssistantContent(message.content);
      const toolUses = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      if (toolUses.length === 0) {
        // end_turn, stop_sequence or an unknown reason without a report: ask for it.
        needReport = true;
        continue;
      }
      yield* this.runTools(step, toolUses);
      if (this.report) {
        yield { type: 'report', step, report: this.report };
        if (budgetHit) return yield* this.finish('budget', `Near the ${budgetHit}: the report was requested early, with the evidence gathered so far.`);
        return capReached
          ? yield* this.finish('max_steps', `Step cap of ${this.maxSteps} reached; the report was requested with the evidence gathered so far.`)
          : yield* this.finish('report', `Report submitted after ${this.steps} step${this.steps === 1 ? '' : 's'}.`);
      }
      if (this.signal.aborted) return yield* this.finish('cancelled', 'Cancelled by the user.');
    }
  }

  /**
   * One API call, its deltas emitted as they arrive; resolves to the complete message. A watchdog
   * aborts a stream that goes silent (the SDK's timeout covers only the response headers).
   */
  private async attemptStep(step: number, maxTokens: number, forceReport: boolean, emit: (e: TriageEvent) => void): Promise<Anthropic.Message> {
    const params = buildRequest({
      model: this.model,
      maxTokens,
      tools: this.deps.tools.definitions(),
      messages: this.messages,
      thinking: this.thinking.param,
      toolChoice: forceReport ? { type: 'tool', name: REPORT_TOOL_NAME } : undefined,
      cacheTtl: this.request.cacheTtl,
    });
    const requestHash = sha256(JSON.stringify(params));
    const sentAt = performance.now();
    let firstTokenAt: number | undefined;
    let usage: CallUsage | undefined;
    const toolIds = new Map<number, string>();

    const idleMs = this.deps.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    const watchdog = new AbortController();
    let idle: NodeJS.Timeout | undefined;
    const feed = () => {
      clearTimeout(idle);
      idle = setTimeout(() => watchdog.abort(new StreamStalledError(idleMs)), idleMs);
    };
    const stream = this.deps.client.messages.stream(params, { signal: AbortSignal.any([this.signal, watchdog.signal]) });
    const final = stream.finalMessage();
    final.catch(() => undefined); // observed below; this only prevents an unhandled rejection if iteration throws first
    feed();
    try {
      for await (const event of stream) {
        feed();
        this.handleStreamEvent(step, event, toolIds, emit, (u) => (usage = u(usage)), () => (firstTokenAt ??= performance.now()));
      }
    } catch (err) {
      if (watchdog.signal.aborted && !this.signal.aborted) throw watchdog.signal.reason;
      throw err;
    } finally {
      clearTimeout(idle);
    }
    if (watchdog.signal.aborted && !this.signal.aborted) throw watchdog.signal.reason;
    const message = await final;
    const counted = usage ?? usageFrom(message.usage);
    const cost = priceCall(message.model, counted, this.deps.pricing);
    const input = counted.inputTokens + counted.cacheCreationInputTokens + counted.cacheReadInputTokens;
    this.lastInput = { tokens: input, messages: this.messages.length };
    this.spentTokens += input + counted.outputTokens;
    this.spentUsd = this.spentUsd === null || cost.usd === undefined ? null : this.spentUsd + cost.usd;
    emit({
      type: 'usage',
      step,
      model: message.model,
      ...(stream.request_id ? { requestId: stream.request_id } : {}),
      requestHash,
      usage: counted,
      stopReason: message.stop_reason,
      timeToFirstTokenMs: firstTokenAt === undefined ? null : Math.round(firstTokenAt - sentAt),
      totalMs: Math.round(performance.now() - sentAt),
      costUsd: cost.usd ?? null,
      uncachedCostUsd: cost.uncachedUsd ?? null,
      ...(cost.pricedAs ? { pricedAs: cost.pricedAs } : {}),
    });
    return message;
  }

  private handleStreamEvent(
    step: number,
    event: Anthropic.MessageStreamEvent,
    toolIds: Map<number, string>,
    emit: (e: TriageEvent) => void,
    updateUsage: (f: (u: CallUsage | undefined) => CallUsage) => void,
    markFirstToken: () => void,
  ): void {
    switch (event.type) {
      case 'message_start':
        updateUsage(() => usageFrom(event.message.usage));
        break;
      case 'message_delta':
        // Cumulative figures: overwrite, never add (null means "unchanged").
        updateUsage((u) => overwriteUsage(u, event.usage));
        break;
      case 'content_block_start':
        if (event.content_block.type === 'tool_use') {
          toolIds.set(event.index, event.content_block.id);
          emit({ type: 'tool_call_started', step, id: event.content_block.id, name: event.content_block.name });
        }
        break;
      case 'content_block_delta': {
        markFirstToken();
        const delta = event.delta;
        if (delta.type === 'text_delta') emit({ type: 'text_delta', step, text: delta.text });
        else if (delta.type === 'thinking_delta') emit({ type: 'thinking_delta', step, text: delta.thinking });
        else if (delta.type === 'input_json_delta') {
          const id = toolIds.get(event.index);
          if (id && delta.partial_json) emit({ type: 'tool_input_delta', step, id, partialJson: delta.partial_json });
        }
        break;
      }
    }
  }

  /**
   * A step under the retry policy: a stream that fails or stalls is discarded and the step sent
   * again (a step whose message completed is never repeated, so no tool runs twice). Repeated
   * overload switches to the fallback model. When the policy gives up, the user decides
   * (`onRetryExhausted`); headless, the run fails with the reason.
   */
  private async *stepWithRetries(step: number, maxTokens: number, forceReport: boolean): AsyncGenerator<TriageEvent, Anthropic.Message> {
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
            queue.push({ type: 'step_started', step, model: this.model, forcedReport: forceReport, attempt: attempts });
          }
          try {
            return await this.attemptStep(step, Math.min(maxTokens, this.maxTokens), forceReport && this.canForceTool, (e) => queue.push(e));
          } catch (err) {
            if (isOverloaded(err) && ++overloads >= 2 && this.fallbackModel && this.fallbackModel !== this.model) this.fallbackDue = true;
            throw err;
          }
        },
        {
          signal: this.signal,
          initialDelayMs: this.deps.retryInitialDelayMs,
          budgetMs: this.deps.retryBudgetMs,
          onRetry: ({ delayMs, error }) => queue.push({ type: 'retrying', step, attempt: attempts + 1, delayMs, reason: describeApiError(error) }),
        },
      );
      // A cancel ends the wait at once, so `done` settles and the queue closes promptly.
      done.then(() => queue.close(), () => queue.close());
      for await (const event of queue) yield event;
      if (this.signal.aborted) throw new Anthropic.APIUserAbortError();
      try {
        return await done;
      } catch (err) {
        if (this.signal.aborted || !isTransient(err) || !this.deps.onRetryExhausted) throw err;
        if (!(await this.deps.onRetryExhausted({ step, message: (await this.redact(describeApiError(err))).text }))) throw err;
      }
    }
  }

  /** After repeated overload, later attempts and steps use the fallback model, planned for its capabilities. */
  private async applyFallback(step: number, queue: AsyncQueue<TriageEvent>): Promise<void> {
    if (!this.fallbackDue || !this.fallbackModel) return;
    this.fallbackDue = false;
    const from = this.model;
    this.model = this.fallbackModel;
    await this.planFor(this.model);
    queue.push({ type: 'model_fallback', step, from, to: this.model, reason: `${from} was overloaded (529) repeatedly` });
  }

  private async planFor(model: string): Promise<void> {
    const profile = await loadModelProfile(this.deps.client, model, this.signal);
    this.maxTokens = Math.min(profile.maxOutputTokens, this.request.maxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS);
    this.thinking = planThinking(this.request.thinking ?? { mode: 'off' }, profile, this.maxTokens);
    this.canForceTool = this.thinking.canForceTool;
  }

  /** Validates every call of the step, runs the valid ones in parallel, answers all in one message. */
  private async *runTools(step: number, toolUses: Anthropic.ToolUseBlock[]): AsyncGenerator<TriageEvent> {
    const outcomes = new Map<string, ToolCallOutcome>();
    const running = new Map<string, Promise<{ id: string; outcome: ToolCallOutcome }>>();
    const now = this.deps.now;
    const ctx = { workspaceRoots: this.deps.workspaceRoots, signal: this.signal, logs: this.deps.logs, metrics: this.deps.metrics, ...(now ? { now: () => now().getTime() } : {}) };
    const options: RunOptions = { timeoutMs: this.deps.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS, approve: this.deps.approve, redact: this.redact };

    for (const use of toolUses) {
      if (this.executed.has(use.id)) throw new Error(`tool call ${use.id} was already run in this run`);
      this.executed.add(use.id);
      const prepared = this.deps.tools.prepare(use.name, use.input);
      if (!prepared.ok) {
        // The message quotes the model's arguments: it is redacted like everything else that leaves.
        const { text, count } = await this.redact(prepared.content);
        const outcome: ToolCallOutcome = { ok: false, content: text, durationMs: 0, ...(count ? { redactions: count } : {}) };
        outcomes.set(use.id, outcome);
        yield { type: 'tool_result', step, id: use.id, name: use.name, ok: false, durationMs: 0, preview: outcome.content };
        continue;
      }
      yield { type: 'tool_call_ready', step, id: use.id, name: use.name, input: prepared.call.input };
      if (use.name === REPORT_TOOL_NAME) this.report = prepared.call.input as TriageReport;
      running.set(use.id, this.deps.tools.run(prepared.call, ctx, options).then((outcome) => ({ id: use.id, outcome })));
    }

    while (running.size > 0) {
      const { id, outcome } = await Promise.race(running.values());
      running.delete(id);
      outcomes.set(id, outcome);
      const name = toolUses.find((u) => u.id === id)!.name;
      yield {
        type: 'tool_result',
        step,
        id,
        name,
        ok: outcome.ok,
        durationMs: outcome.durationMs,
        input: toolUses.find((u) => u.id === id)!.input,
        resultHash: sha256(outcome.content),
        preview: outcome.content,
        ...(outcome.truncationNote ? { truncationNote: outcome.truncationNote } : {}),
        ...(outcome.redactions ? { redactions: outcome.redactions } : {}),
        ...(outcome.data !== undefined ? { data: outcome.data } : {}),
      };
    }

    this.messages.push({
      role: 'user',
      content: toolUses.map((use) => {
        const outcome = outcomes.get(use.id)!;
        // Errors too: a message can quote the data it failed on (a line, a file name).
        return { type: 'tool_result', tool_use_id: use.id, content: wrapToolOutput(use.name, outcome.content, this.boundary.value), ...(outcome.ok ? {} : { is_error: true }) };
      }),
    });
  }

  /**
   * After a `max_tokens` cut, keeps what is whole: text and thinking blocks, not the tool call
   * that was being written (its input is incomplete and must not run).
   */
  private keepCompleteBlocks(content: Anthropic.ContentBlock[]): void {
    const kept = content.filter((b) => b.type !== 'tool_use');
    if (kept.some((b) => b.type === 'text' && b.text.trim() !== '')) this.appendAssistantContent(kept);
  }

  /**
   * Adds the model's blocks to the conversation. After a `pause_turn` the request ended with the
   * paused assistant message and the response continues it: the two are one turn, kept as one
   * message so roles still alternate.
   */
  private appendAssistantContent(blocks: Anthropic.ContentBlock[]): void {
    const last = this.messages.at(-1);
    if (last?.role === 'assistant' && Array.isArray(last.content)) this.messages[this.messages.length - 1] = { role: 'assistant', content: [...last.content, ...blocks] };
    else this.messages.push({ role: 'assistant', content: blocks });
  }

  /** Adds blocks to the conversation as the user, merging into a trailing user message (e.g. after tool results). */
  private appendUserContent(blocks: Anthropic.ContentBlockParam[]): void {
    const last = this.messages.at(-1);
    if (last?.role === 'user') {
      const existing = typeof last.content === 'string' ? [{ type: 'text' as const, text: last.content }] : last.content;
      this.messages[this.messages.length - 1] = { role: 'user', content: [...existing, ...blocks] };
    } else {
      this.messages.push({ role: 'user', content: blocks });
    }
  }

  private async *finish(reason: FinishReason, message: string): AsyncGenerator<TriageEvent> {
    yield { type: 'run_finished', reason, steps: this.steps, durationMs: Math.round(performance.now() - this.started), message, costUsd: this.spentUsd, tokens: this.spentTokens };
  }

  /**
   * The most the next request could cost: its input estimated from the last call's input plus
   * what was added since (all of it priced as a cache write, the dearest way to send input), and
   * the full `maxTokens` of output.
   */
  private worstCase(maxTokens: number): { usd: number | undefined; tokens: number } {
    const added = this.messages.slice(this.lastInput.messages);
    const base = this.lastInput.tokens || Math.ceil((SYSTEM_PROMPT.length + JSON.stringify(this.deps.tools.definitions()).length) / CHARS_PER_TOKEN_ESTIMATE);
    const input = base + Math.ceil(JSON.stringify(added).length / CHARS_PER_TOKEN_ESTIMATE);
    const ttl = this.request.cacheTtl ?? '5m';
    const usage: CallUsage = {
      inputTokens: ttl === 'off' ? input : 0,
      cacheCreationInputTokens: ttl === 'off' ? 0 : input,
      cacheCreation5mInputTokens: ttl === '5m' ? input : 0,
      cacheCreation1hInputTokens: ttl === '1h' ? input : 0,
      cacheReadInputTokens: 0,
      outputTokens: maxTokens,
    };
    return { usd: priceCall(this.model, usage, this.deps.pricing).usd, tokens: input + maxTokens };
  }

  /** What of the budget the next request would overshoot, or undefined when it fits. */
  private overBudget(maxTokens: number): string | undefined {
    const budget = this.request.budget;
    if (!budget) return undefined;
    const worst = this.worstCase(maxTokens);
    if (budget.maxTokens !== undefined && this.spentTokens + worst.tokens > budget.maxTokens) {
      return `token budget of ${budget.maxTokens.toLocaleString('en-US')} (spent ${this.spentTokens.toLocaleString('en-US')})`;
    }
    if (budget.maxUsd !== undefined && this.spentUsd !== null && worst.usd !== undefined && this.spentUsd + worst.usd > budget.maxUsd) {
      return `budget of ${formatUsd(budget.maxUsd)} (spent ${formatUsd(this.spentUsd)})`;
    }
    return undefined;
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface ConversationBoundary {
  value: string;
  /** Whether an earlier message of the conversation already announced it to the model. */
  announced: boolean;
}

function conversationBoundary(history: readonly Anthropic.MessageParam[]): ConversationBoundary {
  const found = boundaryOf(history);
  return { value: found ?? newBoundary(), announced: found !== undefined };
}

/** The user message that starts a request: the incident with its context, or a follow-up question as asked. */
function userText(request: TriageRequest, deps: Pick<TriageDeps, 'workspaceRoots' | 'now'>, description: string, boundary: ConversationBoundary): string {
  if (request.history?.length) return boundary.announced ? description : `${description}\n\n${announceBoundary(boundary.value)}`;
  return incidentMessage({
    description,
    logFile: request.logFile,
    workspaceFolders: deps.workspaceRoots.map((root) => path.basename(root)),
    now: deps.now?.() ?? new Date(),
    boundaryAnnouncement: announceBoundary(boundary.value),
  });
}

function usageFrom(u: Anthropic.Usage): CallUsage {
  return {
    inputTokens: u.input_tokens ?? 0,
    cacheCreationInputTokens: u.cache_creation_input_tokens ?? 0,
    cacheCreation5mInputTokens: u.cache_creation?.ephemeral_5m_input_tokens ?? u.cache_creation_input_tokens ?? 0,
    cacheCreation1hInputTokens: u.cache_creation?.ephemeral_1h_input_tokens ?? 0,
    cacheReadInputTokens: u.cache_read_input_tokens ?? 0,
    outputTokens: u.output_tokens ?? 0,
  };
}

function overwriteUsage(current: CallUsage | undefined, delta: Anthropic.MessageDeltaUsage): CallUsage {
  const base = current ?? usageFrom({ input_tokens: 0, output_tokens: 0 } as Anthropic.Usage);
  const next = { ...base, outputTokens: delta.output_tokens };
  if (delta.input_tokens != null) next.inputTokens = delta.input_tokens;
  if (delta.cache_read_input_tokens != null) next.cacheReadInputTokens = delta.cache_read_input_tokens;
  if (delta.cache_creation_input_tokens != null) {
    next.cacheCreationInputTokens = delta.cache_creation_input_tokens;
    next.cacheCreation5mInputTokens = delta.cache_creation_input_tokens - next.cacheCreation1hInputTokens;
  }
  return next;
}

function isToolChoiceRejection(err: unknown): boolean {
  return err instanceof Anthropic.BadRequestError && /tool_choice/i.test(err.message);
}

/** A message for the engineer, saying what to do where there is something to do. */
export function describeApiError(err: unknown): string {
  if (err instanceof StreamStalledError) return err.message;
  if (err instanceof Anthropic.AuthenticationError) return 'API key rejected (401) — run "Incident Triage: Set API Key" (CLI: set ANTHROPIC_API_KEY).';
  if (err instanceof Anthropic.PermissionDeniedError) return `The API key is not allowed to do this (403): ${apiMessage(err)}`;
  if (err instanceof Anthropic.RateLimitError) return `Rate limited by the API (429): ${apiMessage(err)}`;
  if (err instanceof Anthropic.APIError && err.type === 'overloaded_error') return 'The API is overloaded (529). Try again in a minute or use a fallback model.';
  if (err instanceof Anthropic.APIError && err.status !== undefined) return `API error ${err.status}: ${apiMessage(err)}`;
  if (err instanceof Anthropic.APIError && err.type) return `The API stream failed (${err.type}): ${apiMessage(err)}`;
  if (err instanceof Anthropic.APIConnectionError) return `Could not reach the API: ${errorMessage(err)}`;
  const cause = err instanceof Error ? err.cause : undefined;
  if (err instanceof SyntaxError || cause instanceof SyntaxError) return `The API sent a tool call whose arguments are not valid JSON (${errorMessage(err)}); the step was abandoned.`;
  const text = errorMessage(err);
  if (/stream ended without producing/i.test(text) || /terminated/i.test(text)) return `The API stream was cut before the response was complete (${text}).`;
  return `Unexpected error: ${text}`;
}

function apiMessage(err: InstanceType<typeof Anthropic.APIError>): string {
  const body = err.error as { error?: { message?: string } } | undefined;
  return body?.error?.message ?? err.message;
}

import { z } from 'zod';
import type Anthropic from '@anthropic-ai/sdk';
import { BulkheadRejectedError, bulkhead, type BulkheadPolicy } from 'cockatiel';
import { redactSecrets, type Redact } from '../security/redaction';

/**
 * `read-only` tools run as soon as the model asks. `side-effect` tools run only after the
 * caller's `approve` callback says yes (in VS Code: the user clicks Allow).
 */
export type RiskTier = 'read-only' | 'side-effect';

export interface ToolContext {
  /** Absolute, real paths of the workspace folders. Tools must never read outside them. */
  workspaceRoots: readonly string[];
  /** Aborted on cancellation or when the tool's time is up. */
  signal: AbortSignal;
  /** The run's clock, epoch ms: "the last 30 minutes" and "7 days back" count from it (a replay pins it). */
  now?: () => number;
}

export interface ToolOutput {
  text: string;
  /** Structured data for the UI (a chart, say); never sent to the model. */
  data?: unknown;
}

/** What a tool says of itself (MCP's tool annotations): shown when the user is asked to approve it. */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface ToolSpec<S extends z.ZodType = z.ZodType> {
  name: string;
  /** Written for the model: when to use the tool, with examples. */
  description: string;
  /** Validates the model's arguments (and types them for `run`). */
  input: S;
  /** The JSON Schema the model is given, when it is not derived from `input` (an MCP server's, sent as the server wrote it). */
  inputSchema?: Anthropic.Tool.InputSchema;
  risk: RiskTier;
  annotations?: ToolAnnotations;
  run(input: z.output<S>, ctx: ToolContext): Promise<ToolOutput>;
}

/** A call the user is asked to approve. */
export interface ApprovalRequest {
  name: string;
  input: unknown;
  annotations?: ToolAnnotations;
}

/** A tool's name as a title for people: "search_logs" → "Search logs". */
export const toolTitle = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1).replaceAll('_', ' ');

/** Keeps the input type of `run` tied to the schema without spelling it out. */
export function defineTool<S extends z.ZodType>(spec: ToolSpec<S>): ToolSpec<S> {
  return spec;
}

export interface ToolCallOutcome {
  ok: boolean;
  /** What goes back to the model as the `tool_result` content. */
  content: string;
  durationMs: number;
  truncationNote?: string;
  /** Secret values replaced before the result left the machine. */
  redactions?: number;
  data?: unknown;
}

/** A call whose tool exists and whose arguments passed the tool's schema. */
export interface PreparedCall {
  tool: ToolSpec;
  input: unknown;
}

export interface RunOptions {
  timeoutMs: number;
  /** Asked before a side-effect tool runs; without it such tools are refused. */
  approve?: (call: ApprovalRequest) => Promise<boolean>;
  /**
   * The run's redaction, replacing the registry's: it also masks the secrets the run holds by
   * value (its API key, a Prometheus token), which no pattern would recognise in a log line.
   */
  redact?: Redact;
}

export const DEFAULT_RESULT_BUDGET_CHARS = 8_000;
export const DEFAULT_TOOL_TIMEOUT_MS = 20_000;

export interface RegistryOptions {
  /** Characters a tool result may take before it is cut (default about 8,000). */
  resultBudgetChars?: number;
  /** Applied to every tool output before it goes to the model (default: secret redaction). */
  redact?: Redact;
  /** Tool executions at once (default 4); more wait in a queue of 32, beyond which they are refused. */
  concurrency?: number;
  /** Why a tool the model asked for is not here, when its source knows (an MCP server that did not start). */
  unavailable?: (name: string) => string | undefined;
}

export class ToolRegistry {
  private readonly byName = new Map<string, ToolSpec>();
  private readonly resultBudgetChars: number;
  private readonly redact: Redact;
  private readonly unavailable: (name: string) => string | undefined;
  /** Bounds concurrent executions, so a burst of parallel calls cannot exhaust the host. */
  private readonly bulkhead: BulkheadPolicy;
  private cachedDefinitions: Anthropic.Tool[] | undefined;

  constructor(tools: readonly ToolSpec[], options: RegistryOptions = {}) {
    this.bulkhead = bulkhead(options.concurrency ?? 4, 32);
    this.resultBudgetChars = options.resultBudgetChars ?? DEFAULT_RESULT_BUDGET_CHARS;
    this.redact = options.redact ?? redactSecrets;
    this.unavailable = options.unavailable ?? (() => undefined);
    for (const tool of tools) {
      if (!/^[a-zA-Z0-9_-]{1,64}$/.test(tool.name)) throw new Error(`Invalid tool name: ${tool.name}`);
      if (this.byName.has(tool.name)) throw new Error(`Duplicate tool name: ${tool.name}`);
      this.byName.set(tool.name, tool);
    }
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /**
   * The `tools` array for the Messages API, in registration order. Deterministic: the same
   * registry always serialises to the same bytes, which keeps the cached prefix stable.
   */
  definitions(): Anthropic.Tool[] {
    // Built once: every request of every run sends these same bytes.
    this.cachedDefinitions ??= [...this.byName.values()].map((tool) => ({
      name: tool.name,
      description: tool.description,
      input_schema: tool.inputSchema ?? toInputSchema(tool.input),
    }));
    return this.cachedDefinitions;
  }

  /** Finds the tool and validates the model's arguments; the error text tells the model how to fix them. */
  prepare(name: string, rawInput: unknown): { ok: true; call: PreparedCall } | { ok: false; content: string } {
    const tool = this.byName.get(name);
    if (!tool) return { ok: false, content: this.unavailable(name) ?? `Unknown tool "${name}". Available tools: ${this.names.join(', ')}.` };
    const parsed = tool.input.safeParse(rawInput);
    if (!parsed.success) {
      return { ok: false, content: `Invalid arguments for ${name}:\n${z.prettifyError(parsed.error)}\nFix the arguments and call ${name} again.` };
    }
    return { ok: true, call: { tool, input: parsed.data } };
  }

  /**
   * Runs a prepared call with a timeout and bounds its output. Never throws: failures become
   * `ok: false`. Output and failure messages alike are redacted: an error can quote what it failed on.
   */
  async run({ tool, input }: PreparedCall, ctx: ToolContext, options: RunOptions): Promise<ToolCallOutcome> {
    const started = performance.now();
    const redact = options.redact ?? this.redact;
    const fail = async (message: string): Promise<ToolCallOutcome> => {
      const { text, count } = await redact(message);
      return { ok: false, content: text, durationMs: Math.round(performance.now() - started), ...(count > 0 ? { redactions: count } : {}) };
    };

    if (tool.risk === 'side-effect') {
      const approved = options.approve ? await options.approve({ name: tool.name, input, ...(tool.annotations ? { annotations: tool.annotations } : {}) }) : false;
      if (!approved) return fail(`The user did not approve running ${tool.name}. Do not retry it; continue with read-only tools.`);
    }

    // A timer cleared when the call ends: AbortSignal.timeout would keep the call's context alive for the full timeout.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(new Error('timeout')), options.timeoutMs);
    const signal = AbortSignal.any([ctx.signal, timeout.signal]);
    try {
      const output = await raceAbort(
        this.bulkhead.execute(() => tool.run(input, { ...ctx, signal })),
        signal,
      );
      const redacted = await redact(output.text);
      const bounded = boundText(redacted.text, this.resultBudgetChars);
      const note = redacted.count > 0 ? `\n[${redacted.count} secret value${redacted.count === 1 ? '' : 's'} redacted before this result left the machine]` : '';
      return {
        ok: true,
        content: bounded.text + note,
        durationMs: Math.round(performance.now() - started),
        truncationNote: bounded.note,
        ...(redacted.count > 0 ? { redactions: redacted.count } : {}),
        ...(output.data !== undefined ? { data: output.data } : {}),
      };
    } catch (err) {
      if (ctx.signal.aborted) return fail('Cancelled by the user.');
      if (err instanceof BulkheadRejectedError) return fail(`Too many tool calls at once; ${tool.name} was not run. Make fewer calls in parallel.`);
      if (timeout.signal.aborted) {
        return fail(`${tool.name} timed out after ${options.timeoutMs / 1000} s. Narrow the request (fewer files, a shorter time range) and try again.`);
      }
      return fail(`${tool.name} failed: ${errorMessage(err)}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

function toInputSchema(schema: z.ZodType): Anthropic.Tool.InputSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  delete json.$schema;
  if (json.type !== 'object') throw new Error('A tool input schema must be a zod object');
  return json as Anthropic.Tool.InputSchema;
}

/** Resolves or rejects with the promise, but rejects as soon as `signal` aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Cuts text at a line boundary within `budget` characters and says what was left out. */
export function boundText(text: string, budget: number): { text: string; note?: string } {
  if (text.length <= budget) return { text };
  const cutAt = text.lastIndexOf('\n', budget);
  const kept = text.slice(0, cutAt > budget / 2 ? cutAt : budget);
  const omittedLines = text.slice(kept.length).split('\n').filter(Boolean).length;
  const note = `[output cut to ${kept.length.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters; ${omittedLines.toLocaleString('en-US')} more lines omitted — narrow the request to see them]`;
  return { text: `${kept}\n${note}`, note };
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

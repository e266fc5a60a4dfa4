import * as z from 'zod/mini';
import type { TriageEvent, TriageEventType } from './events';
import type { Same } from './exactSchema';

/*
 * One schema per engine event, for the two places events are read back from outside the run:
 * the panel (a message from the extension host) and the run ledger (a line written by this or an
 * older version, or damaged).
 *
 * Direction: the TriageEvent union (src/shared/events.ts) stays the source of truth and these
 * schemas are checked against it by the compiler, not the other way round: the engine produces
 * events and needs no validation, so the schemas exist only for the readers, in zod/mini, which
 * keeps the webview bundle small. So:
 *   - a TriageEvent member without a schema here, or a schema for a type that is not one, fails
 *     `npm run typecheck` (the record below is keyed by TriageEventType);
 *   - a schema whose output differs from its member (a field missing, extra, optional where the
 *     member requires it or the reverse, or of another type, nested report and usage included)
 *     fails it too, naming the event.
 *
 * Convention: engine events keep the engine's snake_case type names (`tool_result`), as the
 * ledgers store them and the CLI prints them; the panel passes them through without renaming, so
 * a past run's ledger renders as it was recorded.
 */

type Member<K extends TriageEventType> = Extract<TriageEvent, { type: K }>;
type Checked<S extends Record<string, z.ZodMiniType>> = {
  [K in TriageEventType]: K extends keyof S ? (Same<z.output<S[K]>, Member<K>> extends true ? S[K] : `the schema of '${K}' differs from its TriageEvent member`) : `'${K}' has no schema`;
} & { [K in Exclude<keyof S, TriageEventType>]: `'${K & string}' is not a TriageEvent type` };

/** Identity at run time; at compile time, the checks described above. */
export function checkedAgainstEvents<S extends Record<string, z.ZodMiniType>>(schemas: S & Checked<S>): S {
  return schemas;
}

const str = z.string();
const num = z.number();
const opt = z.optional;

/**
 * The report as the panel draws it: the engine accepted it against the full triageReportSchema
 * (lengths, ranges, descriptions for the model), so only the shape the renderer relies on is
 * checked here — re-checking the model's limits could only hide a report the engine accepted.
 */
const verification = z.discriminatedUnion('status', [
  z.object({ status: z.literal('verified') }),
  z.object({ status: z.literal('moved'), line: z.int().check(z.minimum(1)), file: opt(str) }),
  z.object({ status: z.literal('unverified'), reason: str }),
]);
const why = str;
const evidence = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(['log', 'file']), file: str, line: z.int().check(z.minimum(1)), excerpt: str, why, verification }),
  z.object({ kind: z.literal('metric'), service: str, metric: str, time: str, value: num, why, verification }),
  z.object({ kind: z.enum(['deploy', 'commit']), ref: str, why, verification }),
]);
const report = z.object({
  title: str,
  severity: z.enum(['SEV1', 'SEV2', 'SEV3', 'SEV4']),
  conclusion: z.enum(['identified', 'inconclusive']),
  confidence: num,
  summary: str,
  suspected_root_cause: str,
  evidence: z.array(evidence),
  hypotheses: z.array(z.object({ statement: str, status: z.enum(['supported', 'refuted', 'open']), evidence: z.array(num) })),
  affected_services: z.array(str),
  timeline: z.array(
    z.object({
      time: str,
      event: str,
      evidence: opt(num),
      check: opt(z.discriminatedUnion('status', [z.object({ status: z.literal('agrees') }), z.object({ status: z.literal('disagrees'), reason: str })])),
    }),
  ),
  next_steps: z.array(str),
  checked: opt(z.array(str)),
  missing: opt(z.array(str)),
  verification: z.object({ verified: num, moved: num, unverified: num, timelineDisagreements: num, resubmitted: z.boolean(), confidenceCappedFrom: opt(num) }),
});

/** The first look as the panel and the ledger read it back: its shape, with the engine's bounds left to the engine. */
const span = z.object({ start: str, end: str });
const deploy = z.object({ time: str, kind: z.enum(['commit', 'merge', 'tag', 'deploy']), ref: str, service: opt(str), subject: str, source: str });
const template = z.object({
  template: str,
  level: opt(str),
  incidentCount: num,
  baselineCount: num,
  rateRatio: opt(num),
  first: z.object({ time: str, file: str, line: num, sample: str }),
  last: opt(z.object({ time: str, file: str, line: num })),
  change: opt(deploy),
});
const firstLook = z.object({
  logFile: opt(str),
  filesTotal: num,
  files: z.array(z.object({ path: str, sizeBytes: num, format: z.enum(['plain', 'jsonl', 'gzip', 'binary', 'empty']), first: opt(str), last: opt(str), lines: opt(num) })),
  burst: opt(z.object({ file: str, line: num, time: str, count: num, windowSeconds: num, sample: str })),
  start: opt(z.object({ time: str, from: z.enum(['description', 'burst']), quote: opt(str) })),
  timeNote: opt(str),
  windows: opt(z.object({ incident: span, baseline: span })),
  changes: opt(
    z.object({
      new: z.array(template),
      surging: z.array(template),
      quiet: z.array(template),
      totals: z.object({ new: num, surging: num, quiet: num }),
    }),
  ),
  precedingChange: opt(deploy),
  partial: opt(str),
  notes: z.array(str),
  redactions: opt(num),
  durationMs: num,
});

const usage = z.object({
  inputTokens: num,
  cacheCreationInputTokens: num,
  cacheCreation5mInputTokens: num,
  cacheCreation1hInputTokens: num,
  cacheReadInputTokens: num,
  outputTokens: num,
});

export const eventSchemas = checkedAgainstEvents({
  run_started: z.object({
    type: z.literal('run_started'),
    runId: str,
    model: str,
    description: str,
    descriptionRedactions: opt(num),
    logFile: opt(str),
    maxSteps: num,
    thinking: z.enum(['off', 'adaptive', 'manual']),
    startedAt: str,
  }),
  first_look: z.object({ type: z.literal('first_look'), firstLook }),
  step_started: z.object({ type: z.literal('step_started'), step: num, model: str, forcedReport: z.boolean(), attempt: opt(num) }),
  retrying: z.object({ type: z.literal('retrying'), step: num, attempt: num, delayMs: num, reason: str }),
  model_fallback: z.object({ type: z.literal('model_fallback'), step: num, from: str, to: str, reason: str }),
  thinking_delta: z.object({ type: z.literal('thinking_delta'), step: num, text: str }),
  text_delta: z.object({ type: z.literal('text_delta'), step: num, text: str }),
  tool_call_started: z.object({ type: z.literal('tool_call_started'), step: num, id: str, name: str }),
  tool_input_delta: z.object({ type: z.literal('tool_input_delta'), step: num, id: str, partialJson: str }),
  tool_call_ready: z.object({ type: z.literal('tool_call_ready'), step: num, id: str, name: str, input: z.unknown() }),
  tool_result: z.object({
    type: z.literal('tool_result'),
    step: num,
    id: str,
    name: str,
    ok: z.boolean(),
    durationMs: num,
    input: opt(z.unknown()),
    resultHash: opt(str),
    preview: str,
    truncationNote: opt(str),
    redactions: opt(num),
    // Per tool; whoever draws it validates its own shape (see ui/metricChart.ts).
    data: opt(z.unknown()),
  }),
  usage: z.object({
    type: z.literal('usage'),
    step: num,
    model: str,
    requestId: opt(str),
    requestHash: opt(str),
    usage,
    stopReason: z.nullable(str),
    timeToFirstTokenMs: z.nullable(num),
    totalMs: num,
    costUsd: z.nullable(num),
    uncachedCostUsd: z.nullable(num),
    pricedAs: opt(str),
  }),
  report: z.object({ type: z.literal('report'), step: num, report }),
  run_finished: z.object({
    type: z.literal('run_finished'),
    reason: z.enum(['report', 'max_steps', 'budget', 'cancelled', 'error']),
    steps: num,
    durationMs: num,
    message: str,
    costUsd: z.nullable(num),
    tokens: num,
  }),
  error: z.object({ type: z.literal('error'), step: num, message: str }),
});

export type EventCheck = { ok: true; event: TriageEvent } | { ok: false; type: string; problem: string };

/** One event, checked against the schema of its type; never throws. */
export function checkEvent(raw: unknown): EventCheck {
  const type = typeof raw === 'object' && raw !== null && 'type' in raw && typeof raw.type === 'string' ? raw.type : undefined;
  if (type === undefined) return { ok: false, type: '?', problem: 'not an event (no string "type")' };
  if (!Object.hasOwn(eventSchemas, type)) return { ok: false, type, problem: 'unknown event type' };
  const parsed = (eventSchemas[type as TriageEventType] as z.ZodMiniType<TriageEvent>).safeParse(raw);
  return parsed.success ? { ok: true, event: parsed.data } : { ok: false, type, problem: z.prettifyError(parsed.error) };
}

import { z } from 'zod';
import type { TriageEvent } from '../shared/events';
import { triageReportSchema } from '../shared/report';
import type { ReadsEveryField } from './versionedLines';

/**
 * How the run log reads an event back: the TriageEvent union as a schema, so a line that does
 * not hold what the Runs view and the panel's replay read is skipped instead of cast. Fields
 * the union does not name are dropped, not refused (a newer writer may add some).
 */

const step = z.number().int();
const count = z.number();

const callUsage = z.object({
  inputTokens: count,
  cacheCreationInputTokens: count,
  cacheCreation5mInputTokens: count,
  cacheCreation1hInputTokens: count,
  cacheReadInputTokens: count,
  outputTokens: count,
});

export const triageEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run_started'),
    runId: z.string(),
    model: z.string(),
    description: z.string(),
    descriptionRedactions: count.optional(),
    logFile: z.string().optional(),
    maxSteps: count,
    thinking: z.enum(['off', 'adaptive', 'manual']),
    startedAt: z.string(),
  }),
  z.object({ type: z.literal('step_started'), step, model: z.string(), forcedReport: z.boolean(), attempt: count.optional() }),
  z.object({ type: z.literal('retrying'), step, attempt: count, delayMs: count, reason: z.string() }),
  z.object({ type: z.literal('model_fallback'), step, from: z.string(), to: z.string(), reason: z.string() }),
  z.object({ type: z.literal('thinking_delta'), step, text: z.string() }),
  z.object({ type: z.literal('text_delta'), step, text: z.string() }),
  z.object({ type: z.literal('tool_call_started'), step, id: z.string(), name: z.string() }),
  z.object({ type: z.literal('tool_input_delta'), step, id: z.string(), partialJson: z.string() }),
  z.object({ type: z.literal('tool_call_ready'), step, id: z.string(), name: z.string(), input: z.unknown() }),
  z.object({
    type: z.literal('tool_result'),
    step,
    id: z.string(),
    name: z.string(),
    ok: z.boolean(),
    durationMs: count,
    input: z.unknown().optional(),
    resultHash: z.string().optional(),
    preview: z.string(),
    truncationNote: z.string().optional(),
    redactions: count.optional(),
    data: z.unknown().optional(),
  }),
  z.object({
    type: z.literal('usage'),
    step,
    model: z.string(),
    requestId: z.string().optional(),
    requestHash: z.string().optional(),
    usage: callUsage,
    stopReason: z.string().nullable(),
    timeToFirstTokenMs: count.nullable(),
    totalMs: count,
    costUsd: count.nullable(),
    uncachedCostUsd: count.nullable(),
    pricedAs: z.string().optional(),
  }),
  z.object({ type: z.literal('report'), step, report: triageReportSchema }),
  z.object({
    type: z.literal('run_finished'),
    reason: z.enum(['report', 'max_steps', 'budget', 'cancelled', 'error']),
    steps: count,
    durationMs: count,
    message: z.string(),
    costUsd: count.nullable(),
    tokens: count,
  }),
  z.object({ type: z.literal('error'), step, message: z.string() }),
]);

// Fails the type-check when the union changes and this schema does not follow.
const followsTheUnion: ReadsEveryField<z.output<typeof triageEventSchema>, TriageEvent> = true;
void followsTheUnion;

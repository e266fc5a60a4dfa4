import type Anthropic from '@anthropic-ai/sdk';
import type { TriageEvent } from '../shared/events';
import { REPORT_TOOL_NAME, type TriageReport, type VerifiedReport } from '../shared/report';
import type { Redact } from '../security/redaction';
import type { PreparedCall, RunOptions, ToolCallOutcome, ToolContext, ToolOutput, ToolRegistry } from '../tools/registry';
import type { RunObservations, ToolObservation } from './evidence/observations';
import { sha256 } from './streamedStep';
import { wrapToolOutput } from './toolOutputBoundary';

export interface ToolBatch {
  /** One `tool_result` per call, in the order the model made them, tool output delimited as untrusted data. */
  results: Anthropic.ToolResultBlockParam[];
  /** The report, when a `submit_triage_report` call was valid and its evidence review accepted it. */
  report?: VerifiedReport;
}

export interface ToolExecution {
  tools: ToolRegistry;
  context: ToolContext;
  options: RunOptions & { redact: Redact };
  /** The conversation's tool-output boundary. */
  boundary: string;
  /** tool_use ids already run in this run: a tool never runs twice for the same call. */
  executed: Set<string>;
  /** What the run's tools showed the model: the evidence review checks citations against it. */
  observations: RunObservations;
  /** Settles a valid `submit_triage_report` call (see ReportReview): the accepted report in `data`, or a thrown rejection. */
  settleReport(report: TriageReport, signal: AbortSignal): Promise<ToolOutput>;
}

/** Validates every call of a step, runs the valid ones in parallel and yields each result as it lands. */
export async function* executeToolCalls(step: number, toolUses: readonly Anthropic.ToolUseBlock[], run: ToolExecution): AsyncGenerator<TriageEvent, ToolBatch> {
  const outcomes = new Map<string, ToolCallOutcome>();
  const running = new Map<string, Promise<{ id: string; outcome: ToolCallOutcome }>>();
  let report: VerifiedReport | undefined;
  let reportCalled = false;
  // Recorded once the step's calls have all landed: a report in this step was written before the model saw any of them.
  const seen: ToolObservation[] = [];

  for (const use of toolUses) {
    if (run.executed.has(use.id)) throw new Error(`tool call ${use.id} was already run in this run`);
    run.executed.add(use.id);
    const prepared = run.tools.prepare(use.name, use.input);
    if (!prepared.ok) {
      // The message quotes the model's arguments: it is redacted like everything else that leaves.
      const { text, count } = await run.options.redact(prepared.content);
      const outcome: ToolCallOutcome = { ok: false, content: text, durationMs: 0, ...(count ? { redactions: count } : {}) };
      outcomes.set(use.id, outcome);
      yield { type: 'tool_result', step, id: use.id, name: use.name, ok: false, durationMs: 0, preview: outcome.content };
      continue;
    }
    if (use.name === REPORT_TOOL_NAME) {
      if (reportCalled) {
        // One report a turn: a second one would be judged as a resubmission the model never got to make.
        const content = `Only one ${REPORT_TOOL_NAME} call is taken per turn; this one was not run (the first one in this turn was).`;
        outcomes.set(use.id, { ok: false, content, durationMs: 0 });
        yield { type: 'tool_result', step, id: use.id, name: use.name, ok: false, durationMs: 0, preview: content };
        continue;
      }
      reportCalled = true;
    }
    yield { type: 'tool_call_ready', step, id: use.id, name: use.name, input: prepared.call.input };
    running.set(
      use.id,
      run.tools.run(settledHere(prepared.call, run), run.context, use.name === REPORT_TOOL_NAME ? reportOptions(run.options) : run.options).then((outcome) => ({ id: use.id, outcome })),
    );
  }

  while (running.size > 0) {
    const { id, outcome } = await Promise.race(running.values());
    running.delete(id);
    outcomes.set(id, outcome);
    const use = toolUses.find((u) => u.id === id)!;
    let data = outcome.data;
    if (use.name === REPORT_TOOL_NAME) {
      // The accepted report goes out as the `report` event, not as the card's data as well.
      if (outcome.ok) report ??= data as VerifiedReport;
      data = undefined;
    } else if (outcome.ok) {
      seen.push({ name: use.name, input: use.input, text: outcome.content, ...(data !== undefined ? { data } : {}) });
    }
    yield {
      type: 'tool_result',
      step,
      id,
      name: use.name,
      ok: outcome.ok,
      durationMs: outcome.durationMs,
      input: use.input,
      resultHash: sha256(outcome.content),
      preview: outcome.content,
      ...(outcome.truncationNote ? { truncationNote: outcome.truncationNote } : {}),
      ...(outcome.redactions ? { redactions: outcome.redactions } : {}),
      ...(data !== undefined ? { data } : {}),
    };
  }

  for (const observation of seen) run.observations.record(observation);
  const results = toolUses.map((use): Anthropic.ToolResultBlockParam => {
    const outcome = outcomes.get(use.id)!;
    // Errors too: a message can quote the data it failed on (a line, a file name).
    return { type: 'tool_result', tool_use_id: use.id, content: wrapToolOutput(use.name, outcome.content, run.boundary), ...(outcome.ok ? {} : { is_error: true }) };
  });
  return { results, ...(report ? { report } : {}) };
}

/**
 * The report call runs through the registry like any other (timeout, redaction of its messages),
 * but with the run's own handler: only the run knows what its tools showed.
 */
function settledHere(call: PreparedCall, run: ToolExecution): PreparedCall {
  if (call.tool.name !== REPORT_TOOL_NAME) return call;
  return { ...call, tool: { ...call.tool, run: (input, ctx) => run.settleReport(input as TriageReport, ctx.signal) } };
}

/** Time the evidence check may take: it reads up to the cited lines of large files, which a cold disk makes slow; its reads are bounded. */
const REPORT_CHECK_TIMEOUT_MS = 120_000;

function reportOptions(options: ToolExecution['options']): ToolExecution['options'] {
  return { ...options, timeoutMs: Math.max(options.timeoutMs, REPORT_CHECK_TIMEOUT_MS) };
}

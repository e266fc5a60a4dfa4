import type Anthropic from '@anthropic-ai/sdk';
import type { TriageEvent } from '../shared/events';
import { REPORT_TOOL_NAME, type TriageReport } from '../shared/report';
import type { Redact } from '../security/redaction';
import type { RunOptions, ToolCallOutcome, ToolContext, ToolRegistry } from '../tools/registry';
import { sha256 } from './streamedStep';
import { wrapToolOutput } from './toolOutputBoundary';

export interface ToolBatch {
  /** One `tool_result` per call, in the order the model made them, tool output delimited as untrusted data. */
  results: Anthropic.ToolResultBlockParam[];
  /** The report, when one of the calls was a valid `submit_triage_report`. */
  report?: TriageReport;
}

export interface ToolExecution {
  tools: ToolRegistry;
  context: ToolContext;
  options: RunOptions & { redact: Redact };
  /** The conversation's tool-output boundary. */
  boundary: string;
  /** tool_use ids already run in this run: a tool never runs twice for the same call. */
  executed: Set<string>;
}

/** Validates every call of a step, runs the valid ones in parallel and yields each result as it lands. */
export async function* executeToolCalls(step: number, toolUses: readonly Anthropic.ToolUseBlock[], run: ToolExecution): AsyncGenerator<TriageEvent, ToolBatch> {
  const outcomes = new Map<string, ToolCallOutcome>();
  const running = new Map<string, Promise<{ id: string; outcome: ToolCallOutcome }>>();
  let report: TriageReport | undefined;

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
    yield { type: 'tool_call_ready', step, id: use.id, name: use.name, input: prepared.call.input };
    if (use.name === REPORT_TOOL_NAME) report = prepared.call.input as TriageReport;
    running.set(
      use.id,
      run.tools.run(prepared.call, run.context, run.options).then((outcome) => ({ id: use.id, outcome })),
    );
  }

  while (running.size > 0) {
    const { id, outcome } = await Promise.race(running.values());
    running.delete(id);
    outcomes.set(id, outcome);
    const use = toolUses.find((u) => u.id === id)!;
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
      ...(outcome.data !== undefined ? { data: outcome.data } : {}),
    };
  }

  const results = toolUses.map((use): Anthropic.ToolResultBlockParam => {
    const outcome = outcomes.get(use.id)!;
    // Errors too: a message can quote the data it failed on (a line, a file name).
    return { type: 'tool_result', tool_use_id: use.id, content: wrapToolOutput(use.name, outcome.content, run.boundary), ...(outcome.ok ? {} : { is_error: true }) };
  });
  return { results, ...(report ? { report } : {}) };
}

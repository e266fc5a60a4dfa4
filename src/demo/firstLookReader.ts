import type { Scenario, ScriptedBlock, ScriptedTurn } from './script';

/**
 * A recorded model that reads the engine's first look the way the system prompt asks ("do not
 * call list_log_files or summarize_log for what it already shows"). The recordings were made
 * without one; replayed with one, the calls it answered are left out, by this rule and no other:
 *
 * - list_log_files, any arguments: skipped when the first look lists at least one file with its
 *   time span (the tool would print the same spans);
 * - summarize_log {file}: skipped when the first look lists that file with its span AND shows a
 *   finding located in it (its first error burst, or a new, surging or quiet template's
 *   file:line) — the summary's burst and top templates are what the first look already gave;
 * - every other call is kept; a turn left without a tool call is dropped with its text, and the
 *   turns that remain are replayed in order.
 *
 * Without a first look in the conversation's first message the recording plays as recorded. The
 * demo and the cost benchmark (its "after") replay through this; the benchmark's "before" turns
 * the first look off and so plays the same recordings whole.
 */
export function readingTheFirstLook(turns: readonly ScriptedTurn[]): Scenario {
  return (request, { turnIndex }) => {
    const kept = keptTurns(turns, firstLookIn(request));
    return kept[turnIndex] ?? { content: [{ type: 'text', text: `[emulator: scenario has no turn ${turnIndex}]` }], stopReason: 'end_turn' };
  };
}

/** What the first look in the first user message shows: files with a span, and files a finding points into. */
export interface FirstLookSeen {
  spans: Set<string>;
  findings: Set<string>;
}

/** The first look delimited as tool output in the first user message, read as the model would read its text; undefined when there is none. */
export function firstLookIn(request: Record<string, unknown>): FirstLookSeen | undefined {
  const first = (request.messages as { role: string; content: unknown }[] | undefined)?.find((m) => m.role === 'user');
  const content = first?.content;
  const text = typeof content === 'string' ? content : Array.isArray(content) ? content.map((b: { text?: string }) => b.text ?? '').join('\n') : '';
  const block = /<tool_output-[0-9a-f]{24} tool="first_look">\n([\s\S]*?)\n<\/tool_output-[0-9a-f]{24}>/.exec(text)?.[1];
  if (block === undefined) return undefined;
  const spans = new Set<string>();
  for (const [, file] of block.matchAll(/^- (\S+): (?!no timestamps found)\S+ → /gm)) spans.add(file!);
  const findings = new Set<string>();
  // "logs/app.log:147" wherever a finding is located: a path (with a dot or a slash, no colon) and a line number.
  for (const [, file] of block.matchAll(/(?:^|[\s(])([^\s():]*[./][^\s():]*):\d+(?=[\s(),:]|$)/gm)) findings.add(file!);
  return { spans, findings };
}

function keptTurns(turns: readonly ScriptedTurn[], seen: FirstLookSeen | undefined): ScriptedTurn[] {
  if (!seen) return [...turns];
  const answered = (block: ScriptedBlock) => {
    if (block.type !== 'tool_use') return false;
    if (block.name === 'list_log_files') return seen.spans.size > 0;
    const file = (block.input as { file?: unknown } | undefined)?.file;
    return block.name === 'summarize_log' && typeof file === 'string' && seen.spans.has(file) && seen.findings.has(file);
  };
  return turns.flatMap((turn) => {
    const content = turn.content.filter((b) => !answered(b));
    return content.some((b) => b.type === 'tool_use') ? [{ ...turn, content }] : [];
  });
}

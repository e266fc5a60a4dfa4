import { z } from 'zod';
import { CHANGES_LOOKBACK_MS, changesBetween } from '../deploys/changesBetween';
import { defineTool, type ToolContext } from '../registry';
import { resolveWindows } from './comparisonWindows';
import { formatComparison } from './formatComparison';
import type { LogToolSettings } from './settings';
import { resolveLogTargets } from './targets';
import { compareWindows, withPrecedingChanges, type ComparisonWindows } from './windowComparison';

const bound = (what: string) => `${what}: ISO 8601 (e.g. "2026-11-20T14:00:00Z"; no zone means UTC) or relative to now ("30m", "2h", "1d").`;

const input = z.object({
  incident_start: z.string().min(1).max(64).describe(bound('When the incident started, roughly')),
  incident_end: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(`${bound('End of the incident window')} Default: the last timestamp in the logs.`),
  baseline_start: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(`${bound('Start of the baseline window to compare with')} Default: the incident window's length before baseline_end.`),
  baseline_end: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe(`${bound('End of the baseline window')} Default: incident_start. The baseline must not overlap the incident window.`),
  files: z.array(z.string().min(1)).max(50).optional().describe('Workspace-relative files or globs to compare, as list_log_files shows them, e.g. ["logs/payments/**"]. Default: every log file.'),
  limit: z.number().int().min(1).max(50).optional().describe('Most templates to list in each section (default 10, max 50). All are counted.'),
});

export type CompareInput = z.output<typeof input>;

export const compareLogWindowsTool = (settings: LogToolSettings) =>
  defineTool({
    name: 'compare_log_windows',
    description:
      'Use this first when you know roughly when it started: it answers "what changed?" in one call by comparing the message templates ' +
      '(variable parts such as numbers, ids and IPs shown as <*>) of the incident window with a baseline window just before it (by default the same length). ' +
      'Returns templates NEW in the incident window (never seen in the baseline) in order of first appearance, each with its count, first time (UTC), ' +
      'file:line of its first occurrence, a sample line and the nearest deploy or commit before it; templates SURGING (rate ratio and counts in both windows); ' +
      'and templates that WENT QUIET (regular in the baseline, absent since: a heartbeat or a job that stopped). ' +
      'Example: {"incident_start": "2026-11-20T14:00:00Z"}, or {"incident_start": "2h", "files": ["logs/payments/**"]}. ' +
      'Then read around the first new error with read_log, or search for it with search_logs.',
    input,
    risk: 'read-only',
    run: (args, ctx) => runComparison(args, ctx, settings),
  });

export async function runComparison(args: CompareInput, ctx: ToolContext, settings: LogToolSettings = {}): Promise<{ text: string }> {
  const now = ctx.now?.() ?? Date.now();
  const { targets, notes } = await resolveLogTargets(ctx.workspaceRoots, args.files, settings);
  if (targets.length === 0) throw new Error(notes.length ? `No log file to read. ${notes.join(' ')}` : 'No log files in the workspace. Use list_log_files to see the available files.');
  const resolved = await resolveWindows(args, targets, now);
  // Deploy and commit history is read while the logs are: it only matters once a new template is found, but git can take a while.
  // Changes from a day before the baseline: one that preceded it all is still the first suspect.
  const since = Math.min(resolved.windows.baseline.start, resolved.windows.incident.start) - CHANGES_LOOKBACK_MS;
  const [comparison, changes] = await Promise.all([
    compareWindows(targets, resolved.windows, { signal: ctx.signal, limit: args.limit ?? 10 }),
    changesBetween(ctx.workspaceRoots, since, resolved.windows.incident.end, { exclude: settings.exclude, signal: ctx.signal }),
  ]);
  if (!comparison.logSpan) {
    throw new Error(
      `None of the ${comparison.files.length} files read (${comparison.files.map((f) => f.file).join(', ')}) has a line with a timestamp this tool recognises, ` +
        'so no line can be placed in a window. Use summarize_log or search_logs on them instead.',
    );
  }
  const result = withPrecedingChanges(comparison, changes.changes);
  const deployNotes = result.new.length === 0 ? [] : changes.changes.length ? changes.notes : [...changes.notes, noChangesNote(resolved.windows)];
  return { text: formatComparison({ ...result, notes: [...notes, ...result.notes, ...deployNotes] }, { resolved }) };
}

function noChangesNote(windows: ComparisonWindows): string {
  const since = Math.min(windows.baseline.start, windows.incident.start) - CHANGES_LOOKBACK_MS;
  return `[No deploy or commit found from ${new Date(since).toISOString()} to the incident's end (git history of the workspace folders, deploys.json, deploys.csv, .deploys/*.json).]`;
}

import { z } from 'zod';
import { defineTool, type ToolContext } from '../registry';
import { LEVELS, parseLevel, type Level } from './levels';
import { readLines, type LogLine } from './lineReader';
import { inWindow, parseWindow, type TimeWindow } from './timeRange';
import { TimestampParser } from './timestamps';
import { stat } from 'node:fs/promises';
import { resolveLogTargets, type LogTarget } from './targets';

/** Matched lines are cut to this many characters in results. */
export const MAX_SHOWN_LINE_CHARS = 400;
/** Output budget of one search result, below the registry's cap so the footer always survives. */
const OUTPUT_BUDGET_CHARS = 7_000;

const input = z.object({
  query: z.string().min(1).max(500).describe('Text to find, e.g. "connection refused" or "OutOfMemoryError". A regular expression when `regex` is true.'),
  regex: z.boolean().optional().describe('Treat `query` as a JavaScript regular expression, e.g. "timeout|timed out" or "status=5\\\\d\\\\d". Default false (literal).'),
  files: z
    .array(z.string().min(1))
    .max(50)
    .optional()
    .describe('Workspace-relative files or globs to search, as list_log_files shows them, e.g. ["logs/payments/**"]. Default: every log file.'),
  levels: z.array(z.enum(LEVELS)).optional().describe('Keep only lines of these levels, e.g. ["error", "fatal"].'),
  since: z.string().optional().describe('Keep lines at or after this time: ISO 8601 (e.g. "2026-11-20T14:00:00Z") or relative to now ("30m", "2h", "1d").'),
  until: z.string().optional().describe('Keep lines at or before this time, same formats as `since`.'),
  context_lines: z.number().int().min(0).max(5).optional().describe('Lines of context to show before and after each match (0-5, default 0).'),
  limit: z.number().int().min(1).max(200).optional().describe('Most matches to show (default 50, max 200). The total is always counted.'),
  case_sensitive: z.boolean().optional().describe('Default false.'),
});

export type SearchInput = z.output<typeof input>;

export const searchLogs = defineTool({
  name: 'search_logs',
  description:
    'Use this to find lines in the log files: a literal or regex query, optionally filtered by level and time window. ' +
    'Returns matching lines with file, line number, timestamp (UTC) and level, the total number of matches, and how to narrow the search when there are too many. ' +
    'Lines without their own timestamp (stack traces) take the timestamp of the line before. ' +
    'Example: {"query": "timeout", "levels": ["error"], "since": "2026-11-20T14:00:00Z", "until": "2026-11-20T14:30:00Z"}. ' +
    'Search broadly first (levels error/fatal over the incident window), then read around the first hit with read_log.',
  input,
  risk: 'read-only',
  run: (args, ctx) => runSearch(args, ctx),
});

interface Match {
  line: LogLine;
  ts?: number;
  level?: Level;
  before: LogLine[];
  after: LogLine[];
}

export async function runSearch(args: SearchInput, ctx: ToolContext, now = Date.now()): Promise<{ text: string }> {
  const window = parseWindow(args.since, args.until, now);
  const matcher = buildMatcher(args);
  const limit = args.limit ?? 50;
  const context = args.context_lines ?? 0;
  const { targets, notes } = await resolveLogTargets(ctx.workspaceRoots, args.files);

  const shown: { file: string; match: Match }[] = [];
  let total = 0;
  const filesWithMatches = new Set<string>();
  for (const target of targets) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    for await (const match of scanFile(target, matcher, args.levels, window, context, ctx.signal)) {
      total++;
      filesWithMatches.add(target.relative);
      if (shown.length < limit) shown.push({ file: target.relative, match });
    }
  }

  const out: string[] = [];
  let used = 0;
  let printed = 0;
  let currentFile = '';
  for (const { file, match } of shown) {
    const block: string[] = [];
    if (file !== currentFile) block.push(`== ${file} ==`);
    for (const l of match.before) block.push(`${l.number}- ${cut(l)}`);
    const meta = [match.ts !== undefined ? new Date(match.ts).toISOString() : undefined, match.level].filter(Boolean).join(' ');
    block.push(`${match.line.number}: ${meta ? `[${meta}] ` : ''}${cut(match.line)}`);
    for (const l of match.after) block.push(`${l.number}- ${cut(l)}`);
    const text = block.join('\n');
    if (used + text.length > OUTPUT_BUDGET_CHARS && printed > 0) break;
    out.push(text);
    used += text.length + 1;
    printed++;
    currentFile = file;
  }

  const footer = footerFor(printed, total, filesWithMatches.size, args);
  return { text: [...notes, ...(out.length ? out : []), footer].join('\n') };
}

function footerFor(printed: number, total: number, files: number, args: SearchInput): string {
  const inFiles = `in ${files.toLocaleString('en-US')} file${files === 1 ? '' : 's'}`;
  if (total === 0) return `No matches for ${args.regex ? 'regex' : 'text'} "${args.query}"${describeFilters(args)}.`;
  if (printed === total) return `${total.toLocaleString('en-US')} match${total === 1 ? '' : 'es'} ${inFiles}.`;
  const hints = [!args.levels && '`levels`', !(args.since || args.until) && 'a time range', !args.files && '`files`', 'a more specific query'].filter(Boolean);
  return `showing ${printed.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} matches ${inFiles}; add ${hints.join(' or ')} to narrow.`;
}

function describeFilters(args: SearchInput): string {
  const parts = [args.levels && `levels ${args.levels.join('/')}`, args.since && `since ${args.since}`, args.until && `until ${args.until}`, args.files && `in ${args.files.join(', ')}`].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function cut(line: LogLine): string {
  const full = line.fullLength ?? Buffer.byteLength(line.text);
  if (line.text.length <= MAX_SHOWN_LINE_CHARS && line.fullLength === undefined) return line.text;
  return `${line.text.slice(0, MAX_SHOWN_LINE_CHARS)} … [line cut: ${full.toLocaleString('en-US')} bytes]`;
}

type Matcher = (text: string) => boolean;

function buildMatcher(args: SearchInput): Matcher {
  if (args.regex) {
    let re: RegExp;
    try {
      re = new RegExp(args.query, args.case_sensitive ? '' : 'i');
    } catch (err) {
      throw new Error(`Invalid regular expression: ${(err as Error).message}. Fix the pattern, or search literally with regex: false.`);
    }
    return (text) => re.test(text);
  }
  if (args.case_sensitive) return (text) => text.includes(args.query);
  const needle = args.query.toLowerCase();
  return (text) => text.toLowerCase().includes(needle);
}

/** One pass over a file: matches with their context; a line without a timestamp inherits the last one seen. */
async function* scanFile(target: LogTarget, matches: Matcher, levels: readonly Level[] | undefined, window: TimeWindow, context: number, signal: AbortSignal): AsyncGenerator<Match> {
  const timed = window.since !== undefined || window.until !== undefined;
  const timestamps = new TimestampParser((await stat(target.real)).mtimeMs);
  const before: LogLine[] = [];
  let lastTs: number | undefined;
  let open: Match[] = [];
  for await (const line of readLines(target.real, signal)) {
    for (const m of open) m.after.push(line);
    const done = open.filter((m) => m.after.length >= context);
    if (done.length) {
      open = open.filter((m) => m.after.length < context);
      yield* done;
    }
    if (timed) lastTs = timestamps.parse(line.text)?.ms ?? lastTs;
    if (matches(line.text)) {
      const ts = timed ? lastTs : timestamps.parse(line.text)?.ms;
      const level = parseLevel(line.text);
      if ((!levels || (level !== undefined && levels.includes(level))) && inWindow(ts, window)) {
        const match: Match = { line, ts, level, before: [...before], after: [] };
        if (context === 0) yield match;
        else open.push(match);
      }
    }
    if (context > 0) {
      before.push(line);
      if (before.length > context) before.shift();
    }
  }
  yield* open;
}

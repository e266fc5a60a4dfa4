import { z } from 'zod';
import { defineTool, type ToolContext } from '../registry';
import { RE2JS } from 're2js';
import { LEVELS, parseLevel, type Level } from './levels';
import { GzipBombError, readLineBatches, type LogLine } from './lineReader';
import { scanBlocks } from './blockScan';
import { literalAnchors, regexAnchors, type Anchor } from './searchAnchor';
import { MAX_SHOWN_LINE_CHARS, shownLine } from './lineCut';
import { RipgrepError, ripgrepFiles } from './ripgrep';
import { inWindow, parseWindow, type TimeWindow } from './timeRange';
import { TimestampParser } from './timestamps';
import { resolveLogTargets, type LogTarget } from './targets';
import { withRegularFile } from '../regularFile';
import type { LogToolSettings } from './settings';

/** Output budget of one search result, below the registry's cap so the footer always survives. */
const OUTPUT_BUDGET_CHARS = 7_000;

const input = z.object({
  query: z
    .string()
    .min(1)
    .max(500)
    // Refused here: ripgrep cannot take it as an argument (the spawn fails with a raw error), and no text line holds one.
    .refine((q) => !q.includes('\0'), 'The query contains a NUL byte (\\u0000), which no text log holds (files with one are skipped as binary): remove it and search again.')
    .describe('Text to find, e.g. "connection refused" or "OutOfMemoryError". A regular expression when `regex` is true.'),
  regex: z
    .boolean()
    .optional()
    .describe(
      'Treat `query` as an RE2 regular expression (the syntax of ripgrep and Go; it runs in linear time): no lookaround such as (?=...) or (?<!...), no backreferences such as \\1. ' +
        'E.g. "timeout|timed out", "status=5\\\\d\\\\d" or "conn(ection)? reset". Default false (literal).',
    ),
  files: z.array(z.string().min(1)).max(50).optional().describe('Workspace-relative files or globs to search, as list_log_files shows them, e.g. ["logs/payments/**"]. Default: every log file.'),
  levels: z.array(z.enum(LEVELS)).optional().describe('Keep only lines of these levels, e.g. ["error", "fatal"].'),
  since: z.string().optional().describe('Keep lines at or after this time: ISO 8601 (e.g. "2026-11-20T14:00:00Z") or relative to now ("30m", "2h", "1d").'),
  until: z.string().optional().describe('Keep lines at or before this time, same formats as `since`.'),
  context_lines: z.number().int().min(0).max(5).optional().describe('Lines of context to show before and after each match (0-5, default 0).'),
  limit: z.number().int().min(1).max(200).optional().describe('Most matches to show (default 50, max 200). The total is always counted.'),
  case_sensitive: z.boolean().optional().describe('Default false.'),
});

export type SearchInput = z.output<typeof input>;

export const searchLogsTool = (settings: LogToolSettings) =>
  defineTool({
    name: 'search_logs',
    description:
      'Use this to find lines in the log files: a literal or regex query, optionally filtered by level and time window. ' +
      'Returns matching lines with file, line number, timestamp (UTC) and level, the total number of matches, and how to narrow the search when there are too many. ' +
      'Lines without their own timestamp (stack traces) take the timestamp of the line before. ' +
      'Example: {"query": "timeout", "levels": ["error"], "since": "2026-11-20T14:00:00Z", "until": "2026-11-20T14:30:00Z"}. ' +
      'Search broadly first (levels error/fatal over the incident window), then read around the first hit with read_log.',
    input,
    risk: 'read-only',
    run: (args, ctx) => runSearch(args, { ...ctx, settings }, ctx.now?.()),
  });

interface Match {
  line: LogLine;
  ts?: number;
  level?: Level;
  before: LogLine[];
  after: LogLine[];
}

/** A search's surroundings: the call's context and the log settings the tool was made with. */
export type SearchScope = ToolContext & { settings?: LogToolSettings };

export async function runSearch(args: SearchInput, ctx: SearchScope, now = ctx.now?.() ?? Date.now()): Promise<{ text: string }> {
  const settings = ctx.settings ?? {};
  const window = parseWindow(args.since, args.until, now);
  const matcher = buildMatcher(args);
  const anchors = args.regex ? regexAnchors(args.query, args.case_sensitive ?? false) : literalAnchors(args.query, args.case_sensitive ?? false);
  const limit = args.limit ?? 50;
  const context = args.context_lines ?? 0;
  const { targets, notes } = await resolveLogTargets(ctx.workspaceRoots, args.files, settings);
  const filter: Filter = { levels: args.levels, window };

  const shown: { file: string; match: Match }[] = [];
  let total = 0;
  const filesWithMatches = new Set<string>();
  const take = (target: LogTarget, match: Match) => {
    total++;
    filesWithMatches.add(target.relative);
    if (shown.length < limit) shown.push({ file: target.relative, match });
  };
  const rg = settings.ripgrepPath;
  for (const group of groupsOf(targets, (t) => rg !== undefined && !t.gzip)) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (rg && group.viaRipgrep) {
      try {
        for await (const { target, match } of searchWithRipgrep(rg, group.targets, args, context, filter, ctx.signal)) take(target, match);
        continue;
      } catch (err) {
        if (!(err instanceof RipgrepError)) throw err;
        if (err.searched) {
          notes.push(`[ripgrep could not read every file: ${inWorkspaceTerms(err.message, group.targets)}]`);
          continue;
        }
        // A pattern RE2 accepts but ripgrep's dialect does not: ripgrep fails before any output, and the Node scan takes over.
      }
    }
    for (const target of group.targets) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      try {
        // gzip goes through Node, where the decompression guard stops a gzip bomb.
        for await (const batch of scanFile(target, matcher, anchors, filter, context, ctx.signal, () => shown.length < limit)) for (const match of batch) take(target, match);
      } catch (err) {
        if (!(err instanceof GzipBombError)) throw err;
        notes.push(`[stopped reading ${target.relative}: ${err.message}]`);
      }
    }
  }
  const out: string[] = [];
  let used = 0;
  let printed = 0;
  let currentFile = '';
  for (const { file, match } of shown) {
    const block: string[] = [];
    if (file !== currentFile) block.push(`== ${file} ==`);
    for (const l of match.before) block.push(`${l.number}- ${shownLine(l, MAX_SHOWN_LINE_CHARS)}`);
    const meta = [match.ts !== undefined ? new Date(match.ts).toISOString() : undefined, match.level].filter(Boolean).join(' ');
    block.push(`${match.line.number}: ${meta ? `[${meta}] ` : ''}${shownLine(match.line, MAX_SHOWN_LINE_CHARS)}`);
    for (const l of match.after) block.push(`${l.number}- ${shownLine(l, MAX_SHOWN_LINE_CHARS)}`);
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
  const parts = [args.levels && `levels ${args.levels.join('/')}`, args.since && `since ${args.since}`, args.until && `until ${args.until}`, args.files && `in ${args.files.join(', ')}`].filter(
    Boolean,
  );
  return parts.length ? ` (${parts.join(', ')})` : '';
}

type Matcher = (text: string) => boolean;
interface Filter {
  levels: readonly Level[] | undefined;
  window: TimeWindow;
}

/**
 * Regular expressions use RE2 syntax and run on re2js, whose matching time is linear in the
 * line length: no pattern from the model can hang the extension host (ripgrep, when used, is
 * linear too). A literal becomes an escaped V8 regex, which cannot backtrack.
 */
export function buildMatcher(args: SearchInput): Matcher {
  if (args.regex) {
    let re: RE2JS;
    try {
      re = RE2JS.compile(args.query, args.case_sensitive ? 0 : RE2JS.CASE_INSENSITIVE);
    } catch (err) {
      throw new Error(`Invalid regular expression: ${(err as Error).message}. Use RE2 syntax (no lookaround or backreferences), or search literally with regex: false.`, { cause: err });
    }
    return (text) => re.test(text);
  }
  const re = new RegExp(args.query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), args.case_sensitive ? '' : 'i');
  return (text) => re.test(text);
}

function accept(text: string, ts: number | undefined, filter: Filter): { ok: boolean; level?: Level } {
  const level = parseLevel(text);
  if (filter.levels && (level === undefined || !filter.levels.includes(level))) return { ok: false };
  return { ok: inWindow(ts, filter.window), level };
}

const isTimed = (w: TimeWindow) => w.since !== undefined || w.until !== undefined;

/**
 * Consecutive targets that take the same path, in order: runs of plain files go to one ripgrep
 * search, the rest (gzip, or everything without ripgrep) to the Node scan.
 */
function groupsOf(targets: readonly LogTarget[], viaRipgrep: (t: LogTarget) => boolean): { viaRipgrep: boolean; targets: LogTarget[] }[] {
  const groups: { viaRipgrep: boolean; targets: LogTarget[] }[] = [];
  for (const target of targets) {
    const via = viaRipgrep(target);
    const last = groups.at(-1);
    if (last && last.viaRipgrep === via) last.targets.push(target);
    else groups.push({ viaRipgrep: via, targets: [target] });
  }
  return groups;
}

/** ripgrep names files by their real paths; the model knows them by their workspace paths. */
function inWorkspaceTerms(message: string, targets: readonly LogTarget[]): string {
  return targets.reduce((text, t) => text.split(t.real).join(t.relative), message);
}

async function* searchWithRipgrep(
  rg: string,
  targets: readonly LogTarget[],
  args: SearchInput,
  context: number,
  filter: Filter,
  signal: AbortSignal,
): AsyncGenerator<{ target: LogTarget; match: Match }> {
  const query = { pattern: args.query, literal: !args.regex, caseSensitive: args.case_sensitive ?? false, context };
  let current: { target: LogTarget; timestamps: TimestampParser } | undefined;
  for await (const hit of ripgrepFiles(
    rg,
    targets.map((t) => t.real),
    query,
    signal,
  )) {
    const target = targets[hit.fileIndex]!;
    // Each file infers the year of its timestamps from its own modification time.
    if (current?.target !== target) current = { target, timestamps: new TimestampParser(target.mtimeMs) };
    const { timestamps } = current;
    let ts = timestamps.parse(hit.line.text)?.ms;
    if (ts === undefined && isTimed(filter.window)) ts = await precedingTimestamp(target, hit.offset, timestamps);
    const verdict = accept(hit.line.text, ts, filter);
    if (verdict.ok) yield { target, match: { line: hit.line, ts, level: verdict.level, before: hit.before, after: hit.after } };
  }
}

/** For a line without its own timestamp (a stack trace), the timestamp of the nearest line above it. */
async function precedingTimestamp(target: LogTarget, offset: number, timestamps: TimestampParser): Promise<number | undefined> {
  return withRegularFile(target.real, target.relative, async (handle) => {
    const chunk = 64 * 1024;
    for (let end = offset; end > 0 && offset - end < 1024 * 1024; end -= chunk) {
      const start = Math.max(0, end - chunk);
      const buf = Buffer.alloc(end - start);
      await handle.read(buf, 0, buf.length, start);
      const lines = buf.toString('utf8').split('\n');
      for (let i = lines.length - 1; i >= (start === 0 ? 0 : 1); i--) {
        const ms = timestamps.parse(lines[i]!)?.ms;
        if (ms !== undefined) return ms;
      }
    }
    return undefined;
  });
}

/**
 * One pass over a file: matches with their context, in batches; a line without a timestamp
 * inherits the last one seen. With anchors and no time window, a plain file is searched as raw
 * blocks (blockScan), which finds the same lines without splitting the file; a time window needs
 * every line's timestamp (and the parser's memory of the format seen last), so it reads line by
 * line, as gzip does. Once `stillShowing` says no more matches will be shown, matches that no filter
 * needs to look at are only counted: their timestamp and level would be read for nothing.
 */
async function* scanFile(
  target: LogTarget,
  matches: Matcher,
  anchors: readonly Anchor[] | undefined,
  filter: Filter,
  context: number,
  signal: AbortSignal,
  stillShowing: () => boolean,
): AsyncGenerator<Match[]> {
  const timed = isTimed(filter.window);
  const timestamps = new TimestampParser(target.mtimeMs);
  const hits = anchors && !timed ? await scanBlocks(target.real, anchors, matches, context, signal) : undefined;
  if (hits) {
    for await (const batch of hits) {
      const found: Match[] = [];
      const details = filter.levels !== undefined || stillShowing();
      for (const hit of batch) {
        if (!details) {
          found.push(hit);
          continue;
        }
        const ts = timestamps.parse(hit.line.text)?.ms;
        const verdict = accept(hit.line.text, ts, filter);
        if (verdict.ok) found.push({ line: hit.line, before: hit.before, after: hit.after, ts, level: verdict.level });
      }
      if (found.length) yield found;
    }
    return;
  }
  const before: LogLine[] = [];
  let lastTs: number | undefined;
  let open: Match[] = [];
  for await (const batch of readLineBatches(target.real, signal)) {
    const found: Match[] = [];
    for (const line of batch) {
      for (const m of open) m.after.push(line);
      if (open.length && open[0]!.after.length >= context) {
        found.push(...open.filter((m) => m.after.length >= context));
        open = open.filter((m) => m.after.length < context);
      }
      if (timed) lastTs = timestamps.parse(line.text)?.ms ?? lastTs;
      if (matches(line.text)) {
        // Untimed, the parser reads matched lines only: skipping those never shown changes no timestamp that is.
        const details = timed || filter.levels !== undefined || stillShowing();
        const ts = !details ? undefined : timed ? lastTs : timestamps.parse(line.text)?.ms;
        const verdict = details ? accept(line.text, ts, filter) : { ok: true };
        if (verdict.ok) {
          const match: Match = { line, ts, level: verdict.level, before: [...before], after: [] };
          if (context === 0) found.push(match);
          else open.push(match);
        }
      }
      if (context > 0) {
        before.push(line);
        if (before.length > context) before.shift();
      }
    }
    if (found.length) yield found;
  }
  if (open.length) yield open;
}

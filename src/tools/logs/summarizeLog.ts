import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool } from '../registry';
import { formatBytes } from './listLogFiles';
import { LEVELS, type Level } from './levels';
import { LevelBuckets, OTHER, countsByLevel, levelIndex } from './levelBuckets';
import { LineParser, parseFile } from './lineParser';
import { resolveLogTargets } from './targets';
import { WILDCARD, type Template } from './templateMiner';
import type { LogToolSettings } from './settings';

const BUCKETS = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '6h': 21_600_000, '1d': 86_400_000 } as const;
type BucketName = keyof typeof BUCKETS;
/** Finest granularity kept while reading; coarsened when a log spans too long to keep it. */
const MAX_KEPT_BUCKETS = 5_000;
const MAX_SHOWN_BUCKETS = 24;
const TOP_TEMPLATES = 12;
const TOP_ERROR_TEMPLATES = 5;
/** An error burst: at least this many error/fatal lines within the window. */
const BURST_LINES = 5;
const BURST_WINDOW_MS = 60_000;

const input = z.object({
  file: z.string().min(1).describe('Workspace-relative path of one log file, as list_log_files shows it.'),
  bucket: z
    .enum(Object.keys(BUCKETS) as [BucketName, ...BucketName[]])
    .optional()
    .describe('Time bucket for the level counts: 1m, 5m, 15m, 1h, 6h or 1d. Default: chosen so there are at most 24 buckets.'),
});

export const summarizeLogTool = (settings: LogToolSettings) =>
  defineTool({
    name: 'summarize_log',
    description:
      'Use this to see the shape of a large log file in a few hundred tokens before searching it: line count, time span, ' +
      'level counts per time bucket, the first burst of errors, and the most frequent message templates (variable parts such as ' +
      'numbers, ids, IPs and paths shown as <*>) with counts, first/last time and a sample line number. ' +
      'Example: {"file": "logs/app.log", "bucket": "5m"}. Then search or read around what stands out.',
    input,
    risk: 'read-only',
    async run({ file, bucket }, ctx) {
      const { targets, notes } = await resolveLogTargets(ctx.workspaceRoots, [file], settings);
      const target = targets[0];
      if (!target) throw new Error(notes[0] ?? `Cannot read ${file}.`);
      const summary = await summarizeFile(target.real, ctx.signal);
      return { text: formatSummary(target.relative, summary, bucket) };
    },
  });

interface TemplateStats {
  template: Template;
  levels: Partial<Record<Level, number>>;
  first?: number;
  last?: number;
  sampleLine: number;
}

export interface LogSummary {
  bytes: number;
  lines: number;
  timestamped: number;
  /** Lines whose timestamp is earlier than the line before (logs not in time order). */
  backwardSteps: number;
  first?: number;
  last?: number;
  levels: Partial<Record<Level, number>>;
  bucketMs: number;
  buckets: Map<number, Partial<Record<Level | 'other', number>>>;
  firstError?: { line: number; ts?: number };
  burst?: { startLine: number; start: number; count: number };
  templates: TemplateStats[];
  untemplated: number;
}

/** What one pass keeps of a template while reading: level counts in an array, and the order the levels first came in. */
interface TemplateTally {
  template: Template;
  levels: Float64Array;
  levelOrder: number[];
  first?: number;
  last?: number;
  sampleLine: number;
}

/** One streaming pass: counts, time span, per-bucket levels, the first error burst, mined templates. */
export async function summarizeFile(file: string, signal?: AbortSignal): Promise<LogSummary> {
  const st = await stat(file);
  const parser = new LineParser(st.mtimeMs);
  const buckets = new LevelBuckets(Object.values(BUCKETS), MAX_KEPT_BUCKETS);
  const levels = new Float64Array(OTHER + 1);
  // By template id (ids are small integers), and in the order templates were first seen, which breaks ties in the final sort.
  const tallies: TemplateTally[] = [];
  const seen: TemplateTally[] = [];
  const s: LogSummary = { bytes: st.size, lines: 0, timestamped: 0, backwardSteps: 0, levels: {}, bucketMs: BUCKETS['1m'], buckets: new Map(), templates: [], untemplated: 0 };
  let lastTs: number | undefined;
  const recentErrors: { ts: number; line: number }[] = [];

  /** Counts the line the parser has just read. */
  const tally = (): void => {
    const number = ++s.lines;
    const parsed = parser.timestamp;
    if (parsed) {
      s.timestamped++;
      if (lastTs !== undefined && parsed.ms < lastTs) s.backwardSteps++;
      lastTs = parsed.ms;
      if (s.first === undefined || parsed.ms < s.first) s.first = parsed.ms;
      if (s.last === undefined || parsed.ms > s.last) s.last = parsed.ms;
    }
    const level = parser.level;
    const index = levelIndex(level);
    levels[index]!++;
    // Continuation lines (stack traces) belong to the last timestamp seen.
    const ts = parsed?.ms ?? lastTs;
    if (ts !== undefined) buckets.add(ts, index);

    if (level === 'error' || level === 'fatal') {
      s.firstError ??= { line: number, ...(ts !== undefined ? { ts } : {}) };
      if (ts !== undefined && !s.burst) {
        recentErrors.push({ ts, line: number });
        while (recentErrors.length && ts - recentErrors[0]!.ts > BURST_WINDOW_MS) recentErrors.shift();
        if (recentErrors.length >= BURST_LINES) s.burst = { startLine: recentErrors[0]!.line, start: recentErrors[0]!.ts, count: recentErrors.length };
      } else if (ts !== undefined && s.burst && ts >= s.burst.start && ts - s.burst.start <= BURST_WINDOW_MS) {
        s.burst.count++;
      }
    }

    const template = parser.template;
    if (!template) {
      s.untemplated++;
      return;
    }
    let t = tallies[template.id];
    if (!t) {
      tallies[template.id] = t = { template, levels: new Float64Array(OTHER), levelOrder: [], sampleLine: number };
      seen.push(t);
    }
    if (level) {
      if (t.levels[index] === 0) t.levelOrder.push(index);
      t.levels[index]!++;
    }
    if (ts !== undefined) {
      if (t.first === undefined || ts < t.first) t.first = ts;
      if (t.last === undefined || ts > t.last) t.last = ts;
    }
  };

  await parseFile(file, parser, tally, signal);
  s.levels = countsByLevel(levels.subarray(0, OTHER));
  s.buckets = buckets.toMap();
  s.bucketMs = buckets.bucketMs;
  s.templates = seen.map(templateStats).sort((a, b) => b.template.count - a.template.count);
  return s;
}

function templateStats({ template, levels, levelOrder, first, last, sampleLine }: TemplateTally): TemplateStats {
  // Levels in the order they first came: the most frequent one is shown, and the order breaks a tie.
  const counts: Partial<Record<Level, number>> = {};
  for (const i of levelOrder) counts[LEVELS[i]!] = levels[i]!;
  return { template, levels: counts, sampleLine, ...(first !== undefined ? { first } : {}), ...(last !== undefined ? { last } : {}) };
}

function regroup(buckets: LogSummary['buckets'], size: number): LogSummary['buckets'] {
  const out: LogSummary['buckets'] = new Map();
  for (const [start, counts] of buckets) {
    const b = Math.floor(start / size) * size;
    const target = out.get(b) ?? {};
    for (const [k, v] of Object.entries(counts)) target[k as Level] = (target[k as Level] ?? 0) + (v ?? 0);
    out.set(b, target);
  }
  return out;
}

const iso = (ms: number | undefined) => (ms === undefined ? '?' : new Date(ms).toISOString());
const fmt = (n: number) => n.toLocaleString('en-US');

function levelList(levels: Partial<Record<Level | 'other', number>>): string {
  const keys = [...LEVELS, 'other' as const].filter((l) => levels[l]);
  return keys.map((l) => `${l} ${fmt(levels[l]!)}`).join(', ') || 'none';
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const parts: [number, string][] = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
    [s % 60, 's'],
  ];
  const first = parts.findIndex(([v]) => v > 0);
  if (first === -1) return '0s';
  return parts
    .slice(first, first + 2)
    .filter(([v]) => v > 0)
    .map(([v, u]) => `${v}${u}`)
    .join(' ');
}

/** The requested bucket, or the smallest that shows the whole span in at most 24 rows. */
function bucketSize(s: LogSummary, requested: BucketName | undefined): number {
  if (requested) return Math.max(BUCKETS[requested], s.bucketMs);
  const span = (s.last ?? 0) - (s.first ?? 0);
  const named = (Object.values(BUCKETS) as number[]).find((size) => span / size < MAX_SHOWN_BUCKETS);
  const size = named ?? Math.ceil(span / MAX_SHOWN_BUCKETS / BUCKETS['1d']) * BUCKETS['1d'];
  return Math.max(size, s.bucketMs);
}

export function formatSummary(file: string, s: LogSummary, requested?: BucketName): string {
  const out: string[] = [`${file}: ${fmt(s.lines)} lines, ${formatBytes(s.bytes)}`];
  if (s.first !== undefined) {
    out.push(
      `Time span (UTC): ${iso(s.first)} → ${iso(s.last)} (${duration(s.last! - s.first)}); ${fmt(s.timestamped)} lines carry a timestamp${s.backwardSteps ? `; NOT in time order (${fmt(s.backwardSteps)} backward steps)` : ''}`,
    );
  } else {
    out.push('No timestamps recognised.');
  }
  out.push(`Levels: ${levelList(s.levels)}`);

  if (s.buckets.size > 0) {
    const size = bucketSize(s, requested);
    const grouped = [...regroup(s.buckets, size).entries()].sort((a, b) => a[0] - b[0]);
    const shown = grouped.slice(0, MAX_SHOWN_BUCKETS * 2);
    out.push(`Per ${duration(size)} bucket (start, UTC):`);
    for (const [start, counts] of shown) out.push(`  ${iso(start)}  ${levelList(counts)}`);
    if (shown.length < grouped.length) out.push(`  [${grouped.length - shown.length} later buckets omitted; pass a larger bucket]`);
  }

  const order = s.backwardSteps ? ' in file order' : '';
  if (s.firstError) out.push(`First error${order}: line ${fmt(s.firstError.line)}${s.firstError.ts !== undefined ? ` at ${iso(s.firstError.ts)}` : ''}`);
  if (s.burst) out.push(`First error burst${order}: ${s.burst.count} error lines within ${BURST_WINDOW_MS / 1000}s from ${iso(s.burst.start)} (line ${fmt(s.burst.startLine)})`);

  const describe = (t: TemplateStats) => {
    const level = (Object.entries(t.levels) as [Level, number][]).sort((a, b) => b[1] - a[1])[0]?.[0];
    const text = t.template.tokens.join(' ') || '(empty message)';
    const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    return `  ${fmt(t.template.count)}× ${level ? `[${level}] ` : ''}${shown}  (first ${iso(t.first)}, last ${iso(t.last)}, e.g. line ${fmt(t.sampleLine)})`;
  };
  out.push(`Top message templates (${fmt(s.templates.length)} found; variable parts shown as ${WILDCARD}):`);
  for (const t of s.templates.slice(0, TOP_TEMPLATES)) out.push(describe(t));
  const errors = s.templates.filter((t) => (t.levels.error ?? 0) + (t.levels.fatal ?? 0) > 0).slice(0, TOP_ERROR_TEMPLATES);
  const unseen = errors.filter((t) => !s.templates.slice(0, TOP_TEMPLATES).includes(t));
  if (unseen.length) {
    out.push('Error templates outside the top list:');
    for (const t of unseen) out.push(describe(t));
  }
  if (s.untemplated) out.push(`[${fmt(s.untemplated)} lines not templated: template limit reached]`);
  return out.join('\n');
}

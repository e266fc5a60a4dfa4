import type { FirstLook, FirstLookDeploy, FirstLookFile, FirstLookTemplate } from '../../shared/firstLook';
import { DEFAULTS } from '../../shared/settings';
import { errorMessage } from '../../tools/registry';
import { mapBounded } from '../../tools/mapBounded';
import { CHANGES_LOOKBACK_MS, changesBetween, nearestChangeBefore } from '../../tools/deploys/changesBetween';
import type { Change } from '../../tools/deploys/gitHistory';
import { BURST_WINDOW_MS } from '../../tools/logs/errorBurst';
import { describeLogFile, type LogFileInfo } from '../../tools/logs/listLogFiles';
import type { LogToolSettings } from '../../tools/logs/settings';
import { resolveLogTargets, type LogTarget } from '../../tools/logs/targets';
import { compareWindows, newTemplatePriority, withPrecedingChanges, type ComparisonWindows, type TemplateChange } from '../../tools/logs/windowComparison';
import { timeFromDescription, type DescriptionTime } from './descriptionTime';
import { scanLogs, type LogScan } from './logScan';

/** About a second: the first look must be on screen before the model's first token, and cost nothing worth waiting for. */
export const FIRST_LOOK_BUDGET_MS = 1_000;
/** Of the budget, the share the burst scan may take; the comparison gets the rest. */
const SCAN_SHARE = 0.45;
/** Files listed; all are counted. */
export const FIRST_LOOK_FILES = 6;
/** Files whose spans are read (two 64 KiB reads each). */
const DESCRIBED_FILES = 100;
/** New templates listed: the few most severe and frequent (the symptom), the earliest warning, then the earliest (nearest the cause). */
export const FIRST_LOOK_NEW = 7;
const NEW_BY_SEVERITY = 2;
/** Surging and quiet templates listed. */
export const FIRST_LOOK_TOP = 3;
/** Templates of each kind the comparison keeps, for the first look to choose from. */
const COMPARED_LIMIT = 30;
/** The incident window opens this long before the suspected start: causes precede the errors, and "about 14:05" is approximate. */
export const LEAD_MS = 5 * 60_000;
/** The incident window's longest: the start of an incident is what the first look is about. */
const MAX_INCIDENT_MS = 60 * 60_000;
/** A file must have logged at least this long before the incident window to be compared. */
const MIN_BASELINE_MS = 60_000;

export interface FirstLookInput {
  description: string;
  /** The file the engineer started from: the first look is about it alone. */
  logFile?: string;
}

export interface FirstLookOptions {
  workspaceRoots: readonly string[];
  settings?: LogToolSettings;
  nowMs: number;
  signal?: AbortSignal;
  /** Wall-clock budget of the reading (default FIRST_LOOK_BUDGET_MS); tests lower it. */
  budgetMs?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The first look: spans from each file's head and tail, the first error burst from a bounded scan,
 * the suspected start (the description's time, else the burst), and the templates new, surging
 * or gone quiet around it with the nearest deploy or commit. Never throws: a failure becomes a
 * note and what was found so far is kept.
 */
export async function computeFirstLook(input: FirstLookInput, options: FirstLookOptions): Promise<FirstLook> {
  const started = Date.now();
  const budget = options.budgetMs ?? FIRST_LOOK_BUDGET_MS;
  const look: FirstLook = { ...(input.logFile ? { logFile: input.logFile } : {}), filesTotal: 0, files: [], notes: [], durationMs: 0 };
  try {
    await lookAt(look, input, options, started + budget, budget);
  } catch (err) {
    look.notes.push(`The first look stopped: ${errorMessage(err)}`);
  }
  look.durationMs = Date.now() - started;
  return look;
}

async function lookAt(look: FirstLook, input: FirstLookInput, options: FirstLookOptions, deadline: number, budget: number): Promise<void> {
  const { workspaceRoots: roots, settings = {}, signal } = options;
  const { targets, notes } = await resolveLogTargets(roots, input.logFile ? [input.logFile] : undefined, settings);
  look.notes.push(...notes.map((n) => n.replace(/^\[|\]$/g, '')));
  look.filesTotal = targets.length;
  if (targets.length === 0) {
    if (!input.logFile) look.notes.push(`No log files in the workspace (looked for ${(settings.globs ?? DEFAULTS.logGlobs).join(', ')}).`);
    return;
  }

  const newest = [...targets].sort((a, b) => b.mtimeMs - a.mtimeMs || a.relative.localeCompare(b.relative)).slice(0, DESCRIBED_FILES);
  const infos = await mapBounded(newest, 16, (t) => describeLogFile(t.real, t.relative).catch(() => undefined));
  const described = infos.filter((i): i is LogFileInfo => i !== undefined);
  const span = spanOf(described);
  // Deploys and commits are read (by git, in child processes) while the logs are.
  const changes = readChanges(roots, settings.exclude, span, options.nowMs, budget, signal);

  const said = timeFromDescription(input.description, { nowMs: options.nowMs, ...(span ? { logSpan: span } : {}) });
  const scan = await scanLogs(targets, Math.min(deadline, Date.now() + budget * SCAN_SHARE), signal);
  look.files = listedFiles(described, scan);
  look.notes.push(...scan.notes);
  const burst = earliestBurst(scan);
  if (burst) look.burst = { file: burst.file, line: burst.line, time: iso(burst.ms), count: burst.count, windowSeconds: BURST_WINDOW_MS / 1000, sample: burst.sample };

  const start = startOf(said, burst?.ms, span, look);
  const partial: string[] = [];
  // A file left after its burst was found lacks only its line count: the burst scan covered what it is for.
  const unfinished = scan.files.filter((f) => !f.complete && !f.settled);
  if (unfinished.length || scan.unread.length) partial.push(`the error scan ${coverage(scan)}`);
  if (start !== undefined && span) {
    const windows = windowsAround(start, span.end);
    if (!windows) {
      look.notes.push(`The logs end at ${iso(span.end)}, before the suspected start: nothing to compare.`);
    } else {
      const { compared, left, windows: clipped } = comparable(targets, described, windows);
      if (left.length) look.notes.push(`Not compared (no baseline: their lines start after the baseline window): ${left.join(', ')}.`);
      const comparison = await compareWindows(compared, clipped, { signal, limit: COMPARED_LIMIT, budgetMs: Math.max(0, deadline - Date.now()) });
      const found = await changes;
      look.notes.push(...found.notes);
      const result = withPrecedingChanges(comparison, found.changes);
      look.windows = { incident: isoSpan(clipped.incident), baseline: isoSpan(clipped.baseline) };
      look.changes = {
        new: shownNew(result.new).map(template),
        surging: result.surging.slice(0, FIRST_LOOK_TOP).map(template),
        quiet: result.quiet.slice(0, FIRST_LOOK_TOP).map(template),
        totals: result.totals,
      };
      look.notes.push(...result.notes);
      if (result.partial) partial.push(`the comparison stopped when ${result.partial.reason}${result.partial.unread.length ? ` (not read: ${result.partial.unread.join(', ')})` : ''}`);
      const preceding = nearestChangeBefore(found.changes, start);
      if (preceding) look.precedingChange = deploy(preceding);
    }
  }
  if (partial.length) look.partial = `Stopped early at the ${budget} ms budget: ${partial.join('; ')}.`;
}

/** Earliest first and latest last timestamp of the files' heads and tails. */
function spanOf(infos: readonly LogFileInfo[]): { start: number; end: number } | undefined {
  const firsts = infos.flatMap((i) => (i.firstTimestamp ? [Date.parse(i.firstTimestamp)] : []));
  const lasts = infos.flatMap((i) => (i.lastTimestamp ? [Date.parse(i.lastTimestamp)] : []));
  if (!firsts.length || !lasts.length) return undefined;
  return { start: Math.min(...firsts), end: Math.max(...lasts) };
}

/** The files to list: latest last timestamp first, then by path, so the same logs always list the same way. */
function listedFiles(infos: readonly LogFileInfo[], scan: LogScan): FirstLookFile[] {
  const scanned = new Map(scan.files.map((f) => [f.file, f]));
  const files = infos.map((info): FirstLookFile => {
    const read = scanned.get(info.path);
    // A gzipped rotation has no span from its head and tail: the scan, when it read it all, knows it.
    const first = info.firstTimestamp ?? (read?.complete && read.first !== undefined ? iso(read.first) : undefined);
    const last = info.lastTimestamp ?? (read?.complete && read.last !== undefined ? iso(read.last) : undefined);
    return {
      path: info.path,
      sizeBytes: info.sizeBytes,
      format: info.format,
      ...(first ? { first } : {}),
      ...(last ? { last } : {}),
      ...(read?.complete ? { lines: read.lines } : {}),
    };
  });
  return files.sort((a, b) => (b.last ?? '').localeCompare(a.last ?? '') || a.path.localeCompare(b.path)).slice(0, FIRST_LOOK_FILES);
}

function earliestBurst(scan: LogScan): { file: string; line: number; ms: number; count: number; sample: string } | undefined {
  let best: ReturnType<typeof earliestBurst>;
  for (const f of scan.files) if (f.burst && (!best || f.burst.ms < best.ms)) best = { file: f.file, ...f.burst };
  return best;
}

/** The start to compare around, and a note on how the description's time was read (or why it was not used). */
function startOf(said: DescriptionTime, burstMs: number | undefined, span: { start: number; end: number } | undefined, look: FirstLook): number | undefined {
  const fallback = burstMs !== undefined ? 'the first error burst is taken as the start instead' : 'no error burst either, so nothing is compared';
  switch (said.kind) {
    case 'time': {
      look.start = { time: iso(said.ms), from: 'description', quote: said.quote };
      const notes = said.note ? [said.note] : [];
      if (span && said.ms > span.end) notes.push(`it is after the logs' last line (${iso(span.end)})`);
      if (span && said.ms < span.start) notes.push(`it is before the logs' first line (${iso(span.start)})`);
      if (notes.length) look.timeNote = `"${said.quote}": ${notes.join('; ')}.`;
      return said.ms;
    }
    case 'ambiguous':
      look.timeNote = `The description's "${said.quote}" was not used (${said.reason}): ${fallback}.`;
      break;
    case 'none':
      look.timeNote = `No time in the description: ${fallback}.`;
      break;
  }
  if (burstMs === undefined) return undefined;
  look.start = { time: iso(burstMs), from: 'burst' };
  return burstMs;
}

/** The incident from LEAD_MS before the start to the logs' end (at most an hour); the baseline, as long, just before. */
function windowsAround(start: number, logEnd: number): ComparisonWindows | undefined {
  const from = start - LEAD_MS;
  // The minute after the last line, as compare_log_windows ends its default window.
  const to = Math.min(Math.ceil((logEnd + 1) / 60_000) * 60_000, from + MAX_INCIDENT_MS);
  if (to <= from) return undefined;
  return { incident: { start: from, end: to }, baseline: { start: from - (to - from), end: from } };
}

/**
 * The files worth comparing, and the windows they can be compared over. A file whose first line
 * comes after (or within a minute of) the baseline's end has no baseline: all its templates would
 * look new; it is left out. The baseline then starts where every file kept has begun, so that a
 * file's lines are not counted against a stretch of time it did not log (its templates would look
 * like they surged). Files without a known span (gzip) are kept and do not move the baseline.
 */
function comparable(targets: readonly LogTarget[], infos: readonly LogFileInfo[], windows: ComparisonWindows): { compared: LogTarget[]; left: string[]; windows: ComparisonWindows } {
  const firstOf = new Map(infos.map((i) => [i.path, i.firstTimestamp ? Date.parse(i.firstTimestamp) : undefined]));
  const compared: LogTarget[] = [];
  const left: string[] = [];
  let baselineStart = windows.baseline.start;
  for (const t of targets) {
    const first = firstOf.get(t.relative);
    if (first !== undefined && first > windows.baseline.end - MIN_BASELINE_MS) {
      left.push(t.relative);
      continue;
    }
    compared.push(t);
    if (first !== undefined) baselineStart = Math.max(baselineStart, first);
  }
  return { compared, left, windows: { incident: windows.incident, baseline: { start: baselineStart, end: windows.baseline.end } } };
}

/** "read app.log whole, big.log up to line 1,234; it did not reach old.log" */
function coverage(scan: LogScan): string {
  const read = scan.files.map((f) => `${f.file} ${f.complete ? 'whole' : f.settled ? 'to its first burst' : `up to line ${f.lines.toLocaleString('en-US')}`}`);
  const unread = scan.unread.length ? `did not reach ${scan.unread.join(', ')}` : '';
  return read.length ? `read ${read.join(', ')}${unread ? `; it ${unread}` : ''}` : unread;
}

async function readChanges(
  roots: readonly string[],
  exclude: readonly string[] | undefined,
  span: { start: number; end: number } | undefined,
  nowMs: number,
  budget: number,
  signal: AbortSignal | undefined,
): Promise<{ changes: Change[]; notes: string[] }> {
  try {
    const found = await changesBetween(roots, (span?.start ?? nowMs) - CHANGES_LOOKBACK_MS, span?.end ?? nowMs, { exclude, signal, budgetMs: budget });
    return { changes: found.changes, notes: found.notes.map((n) => n.replace(/^\[|\]$/g, '')) };
  } catch (err) {
    // Not awaited when nothing is compared: it must never reject.
    return { changes: [], notes: [`Deploys and commits not read: ${errorMessage(err)}`] };
  }
}

/**
 * Which new templates to list: a burst of errors is the symptom, a new warning is often the first
 * sign, and the first new lines before them are often the cause (a restart, a changed setting), so
 * each kind gets places: the most severe and frequent, the earliest warning, then the earliest;
 * listed by first appearance.
 */
function shownNew(all: readonly TemplateChange[]): TemplateChange[] {
  const byTime = (a: TemplateChange, b: TemplateChange) => a.firstSeen.ms - b.firstSeen.ms;
  const picked = [...all].sort(newTemplatePriority).slice(0, NEW_BY_SEVERITY);
  const warning = all.filter((t) => t.level === 'warn' && !picked.includes(t)).sort(byTime)[0];
  if (warning) picked.push(warning);
  const earliest = all.filter((t) => !picked.includes(t)).sort(byTime);
  return [...picked, ...earliest.slice(0, Math.max(0, FIRST_LOOK_NEW - picked.length))].sort(byTime);
}

function deploy(c: Change): FirstLookDeploy {
  return { time: iso(c.time), kind: c.kind, ref: c.ref, ...(c.service ? { service: c.service } : {}), subject: c.subject, source: c.source };
}

function template(t: TemplateChange): FirstLookTemplate {
  const at = t.firstSeen;
  return {
    template: t.template,
    ...(t.level ? { level: t.level } : {}),
    incidentCount: t.incidentCount,
    baselineCount: t.baselineCount,
    ...(t.rateRatio !== undefined ? { rateRatio: t.rateRatio } : {}),
    first: { time: iso(at.ms), file: at.file, line: at.line, sample: at.sample },
    ...(t.lastSeen ? { last: { time: iso(t.lastSeen.ms), file: t.lastSeen.file, line: t.lastSeen.line } } : {}),
    ...(t.precedingChange ? { change: deploy(t.precedingChange) } : {}),
  };
}

function isoSpan(s: { start: number; end: number }): { start: string; end: string } {
  return { start: iso(s.start), end: iso(s.end) };
}

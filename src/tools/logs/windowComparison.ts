import type { Change } from '../deploys/gitHistory';
import { findLevelAfter, type Level } from './levels';
import { GzipBombError, readLineBatches, type LogLine } from './lineReader';
import { shownLine } from './lineCut';
import type { LogTarget } from './targets';
import { TemplateMiner, messageOf, type Template } from './templateMiner';
import { SEEK_MARGIN_MS, planTimeRead } from './timeSeek';
import { TimestampParser } from './timestamps';

/** A time window, epoch ms, half-open: `start` ≤ t < `end`. */
export interface TimeSpan {
  start: number;
  end: number;
}

export interface ComparisonWindows {
  incident: TimeSpan;
  baseline: TimeSpan;
}

export interface CompareOptions {
  signal?: AbortSignal;
  /** Most items kept in each of `new`, `surging` and `quiet` (default 10); the totals count them all. */
  limit?: number;
  /** Stop reading after this many milliseconds and return what was read, marked partial (the first look uses about 1 s). */
  budgetMs?: number;
  /** Deploys and commits: each new template gets the nearest one before its first appearance. */
  changes?: readonly Change[];
  /** Fewest incident-window occurrences for a template to count as surging (default SURGE_MIN_COUNT). */
  minCount?: number;
}

/** One occurrence of a template: when, where, and the line as the tools show it (cut to SAMPLE_CHARS). */
export interface Occurrence {
  ms: number;
  file: string;
  /** 1-based. */
  line: number;
  sample: string;
}

export interface TemplateChange {
  /** The mined template, variable parts as <*>. */
  template: string;
  level?: Level;
  /** Occurrences (entries: lines with their own timestamp) in each window. */
  incidentCount: number;
  baselineCount: number;
  /** Incident rate over baseline rate, each per millisecond of the window the logs cover (surging only). */
  rateRatio?: number;
  /** New and surging: the earliest occurrence in the incident window. Quiet: the earliest in the baseline. */
  firstSeen: Occurrence;
  /** Quiet: the latest occurrence in the baseline (when it stopped). */
  lastSeen?: Omit<Occurrence, 'sample'>;
  /** New: the nearest deploy or commit at or before `firstSeen.ms`, when changes were given. */
  precedingChange?: Change;
}

export interface FileCoverage {
  file: string;
  lines: number;
  incidentLines: number;
  baselineLines: number;
  /** Lines with no timestamp of their own and none before them in the file: in no window. */
  untimed: number;
  /** False when the time budget ran out (or a gzip guard stopped reading) before the end of the file. */
  complete: boolean;
}

export interface WindowComparison {
  windows: ComparisonWindows;
  /** The part of each window the logs' timestamps cover (rates are per covered time); undefined when none. */
  covered: { incident?: TimeSpan; baseline?: TimeSpan };
  /** Earliest and latest timestamps read, in any window. */
  logSpan?: TimeSpan;
  files: FileCoverage[];
  lines: { read: number; incident: number; baseline: number; untimed: number; outside: number };
  /** Lines in a window that got no template because the miner's template cap was reached. */
  untemplated: number;
  new: TemplateChange[];
  surging: TemplateChange[];
  quiet: TemplateChange[];
  /** How many qualified before `limit` cut the arrays. */
  totals: { new: number; surging: number; quiet: number };
  /** The thresholds applied, so a reader can say what did not qualify. */
  thresholds: { surgeMinCount: number; surgeMinRatio: number; quietMinBaseline: number; quietMinExpected: number; quietSlices: number };
  /** Set when reading stopped early: results cover only what was read. */
  partial?: { reason: string; unread: string[] };
  /** Files skipped or cut short, and why (a gzip bomb, say). */
  notes: string[];
}

/** Characters of a sample line kept and shown: shorter than search_logs' lines, as a comparison shows many. */
export const SAMPLE_CHARS = 200;
export const SURGE_MIN_COUNT = 10;
export const SURGE_MIN_RATIO = 3;
/** Went quiet: at least this many baseline occurrences, ... */
export const QUIET_MIN_BASELINE = 5;
/** ... at least this many expected in the incident window at the baseline rate, ... */
export const QUIET_MIN_EXPECTED = 3;
/** ... and present in at least half of the slices of the baseline (of this many) that hold any line: regular, not one burst. */
export const QUIET_SLICES = 12;
const DEFAULT_LIMIT = 10;

interface Tally {
  template: Template;
  level?: Level;
  incident: number;
  baseline: number;
  firstIncident?: Occurrence;
  firstBaseline?: Occurrence;
  lastBaseline?: Omit<Occurrence, 'sample'>;
  /** Bit i: seen in slice i of the baseline. */
  slices: number;
}

/** What the scan gathers; classification happens once every file is read, on the final templates. */
interface Scan {
  miner: TemplateMiner;
  tallies: Map<number, Tally>;
  files: FileCoverage[];
  lines: WindowComparison['lines'];
  untemplated: number;
  /** Bit i: the logs hold some line in slice i of the baseline. */
  baselineSlices: number;
  min?: number;
  max?: number;
  notes: string[];
  partial?: WindowComparison['partial'];
}

/**
 * Compares two time windows of the logs: templates new in the incident window (never seen in the
 * baseline), surging (a much higher rate), and gone quiet (regular in the baseline, absent since).
 * One streaming pass per file, one template miner for both windows; lines outside both windows are
 * skipped after their timestamp is read. Lines need not be in time order; a line without its own
 * timestamp (a stack trace) belongs to the entry above it: counted in its window, not mined.
 */
export async function compareWindows(targets: readonly LogTarget[], windows: ComparisonWindows, options: CompareOptions = {}): Promise<WindowComparison> {
  const scan: Scan = {
    miner: new TemplateMiner(),
    tallies: new Map(),
    files: [],
    lines: { read: 0, incident: 0, baseline: 0, untimed: 0, outside: 0 },
    untemplated: 0,
    baselineSlices: 0,
    notes: [],
  };
  const deadline = options.budgetMs === undefined ? Infinity : Date.now() + options.budgetMs;
  // Newest first: under a time budget the current log, most likely to hold the incident, is read before its rotations.
  const ordered = [...targets].sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const [i, target] of ordered.entries()) {
    if (Date.now() >= deadline) {
      scan.partial = { reason: `the time budget of ${options.budgetMs} ms ran out`, unread: ordered.slice(i).map((t) => t.relative) };
      break;
    }
    const done = await scanFile(scan, target, windows, deadline, options.signal);
    if (!done) {
      scan.partial = { reason: `the time budget of ${options.budgetMs} ms ran out in ${target.relative}`, unread: ordered.slice(i + 1).map((t) => t.relative) };
      break;
    }
  }
  return classify(scan, windows, options);
}

/** Reads one file into the scan; false when the deadline stopped it before the end. */
async function scanFile(scan: Scan, target: LogTarget, windows: ComparisonWindows, deadline: number, signal?: AbortSignal): Promise<boolean> {
  const { incident, baseline } = windows;
  const sliceMs = (baseline.end - baseline.start) / QUIET_SLICES;
  const timestamps = new TimestampParser(target.mtimeMs);
  const file: FileCoverage = { file: target.relative, lines: 0, incidentLines: 0, baselineLines: 0, untimed: 0, complete: false };
  scan.files.push(file);
  let lastTs: number | undefined;
  try {
    // In a large time-ordered log, the lines before both windows are skipped unread (counted, as outside), and those after them are not read.
    const plan = await planTimeRead(target, { start: Math.min(incident.start, baseline.start), end: Math.max(incident.end, baseline.end) }, signal);
    const seek = plan.start;
    if (seek) {
      file.lines = seek.line - 1;
      file.untimed = seek.untimed;
      if (scan.min === undefined || seek.firstMs < scan.min) scan.min = seek.firstMs;
      scan.notes.push(
        `[${target.relative}: lines 1-${count(seek.line - 1)} skipped unread: its timestamps rise through the file, and line ${count(seek.line)} (${iso(seek.offsetMs)}) is still ${SEEK_MARGIN_MS / 60_000} minutes or more before both windows]`,
      );
    }
    for await (const batch of readLineBatches(target.real, signal, seek)) {
      if (signal?.aborted) throw signal.reason;
      // Checked before a batch, not after: a file whose last batch ends past the deadline was still read whole.
      if (Date.now() >= deadline) return false;
      for (const line of batch) {
        file.lines++;
        const parsed = timestamps.parse(line.text);
        if (parsed && plan.stopAtMs !== undefined && parsed.ms >= plan.stopAtMs) {
          // Its time was read: the covered part of the windows comes out as a full read's would.
          file.lines--;
          if (scan.max === undefined || parsed.ms > scan.max) scan.max = parsed.ms;
          scan.notes.push(
            `[${target.relative}: read up to line ${count(line.number - 1)}; line ${count(line.number)} is at ${iso(parsed.ms)}, ${SEEK_MARGIN_MS / 60_000} minutes past both windows, and the file's timestamps rise through it]`,
          );
          file.complete = true;
          return true;
        }
        // Continuation lines (stack traces) belong to the last timestamp seen.
        const ts = parsed ? parsed.ms : lastTs;
        if (ts === undefined) {
          file.untimed++;
          continue;
        }
        if (parsed) {
          lastTs = ts;
          if (scan.min === undefined || ts < scan.min) scan.min = ts;
          if (scan.max === undefined || ts > scan.max) scan.max = ts;
        }
        const inIncident = ts >= incident.start && ts < incident.end;
        const inBaseline = !inIncident && ts >= baseline.start && ts < baseline.end;
        if (!inIncident && !inBaseline) continue;
        if (inIncident) file.incidentLines++;
        else {
          file.baselineLines++;
          scan.baselineSlices |= 1 << sliceOf(ts, baseline.start, sliceMs);
        }
        if (parsed) tally(scan, line, target.relative, ts, inIncident, parsed, baseline.start, sliceMs);
      }
    }
    file.complete = true;
    return true;
  } catch (err) {
    if (!(err instanceof GzipBombError)) throw err;
    scan.notes.push(`[stopped reading ${target.relative}: ${err.message}]`);
    return true;
  } finally {
    scan.lines.read += file.lines;
    scan.lines.incident += file.incidentLines;
    scan.lines.baseline += file.baselineLines;
    scan.lines.untimed += file.untimed;
    scan.lines.outside += file.lines - file.untimed - file.incidentLines - file.baselineLines;
  }
}

const count = (n: number) => n.toLocaleString('en-US');
const iso = (ms: number) => new Date(ms).toISOString();
const sliceOf = (ts: number, start: number, sliceMs: number) => Math.min(QUIET_SLICES - 1, Math.floor((ts - start) / sliceMs));

/** Mines one timestamped line of a window and counts it against its template. */
function tally(scan: Scan, line: LogLine, file: string, ts: number, inIncident: boolean, parsed: { index: number; length: number }, baselineStart: number, sliceMs: number): void {
  const found = findLevelAfter(line.text, parsed.index + parsed.length);
  const template = scan.miner.addMessage(messageOf(line.text, parsed, found?.end));
  if (!template) {
    scan.untemplated++;
    return;
  }
  let t = scan.tallies.get(template.id);
  if (!t) scan.tallies.set(template.id, (t = { template, incident: 0, baseline: 0, slices: 0, ...(found ? { level: found.level } : {}) }));
  if (inIncident) {
    t.incident++;
    if (!t.firstIncident || ts < t.firstIncident.ms) t.firstIncident = occurrence(line, file, ts);
  } else {
    t.baseline++;
    t.slices |= 1 << sliceOf(ts, baselineStart, sliceMs);
    if (!t.firstBaseline || ts < t.firstBaseline.ms) t.firstBaseline = occurrence(line, file, ts);
    // Updated in place: in a time-ordered log every baseline line is the latest, and an object per line would be garbage per line.
    const last = (t.lastBaseline ??= { ms: ts, file, line: line.number });
    if (ts >= last.ms) {
      last.ms = ts;
      last.file = file;
      last.line = line.number;
    }
  }
}

/**
 * The sample is copied, not sliced: a slice of a 1 MiB line would keep the whole line alive in
 * memory for as long as the template does.
 */
function occurrence(line: LogLine, file: string, ms: number): Occurrence {
  const sample = shownLine(line, SAMPLE_CHARS);
  return { ms, file, line: line.number, sample: sample === line.text ? sample : Buffer.from(sample, 'utf8').toString('utf8') };
}

/** The part of `window` between the earliest and latest timestamps read. */
function coveredPart(window: TimeSpan, min: number | undefined, max: number | undefined): TimeSpan | undefined {
  if (min === undefined || max === undefined) return undefined;
  const start = Math.max(window.start, min);
  const end = Math.min(window.end, max + 1);
  return end > start ? { start, end } : undefined;
}

/**
 * Groups the tallies by their final template text: the miner clusters online, so two templates
 * made apart can end up generalised to the same text, and counting them apart would call the
 * incident's half new. Then sorts each into new, surging or quiet.
 */
function classify(scan: Scan, windows: ComparisonWindows, options: CompareOptions): WindowComparison {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const surgeMinCount = options.minCount ?? SURGE_MIN_COUNT;
  const covered = { incident: coveredPart(windows.incident, scan.min, scan.max), baseline: coveredPart(windows.baseline, scan.min, scan.max) };
  const result: WindowComparison = {
    windows,
    covered: { ...(covered.incident ? { incident: covered.incident } : {}), ...(covered.baseline ? { baseline: covered.baseline } : {}) },
    ...(scan.min !== undefined && scan.max !== undefined ? { logSpan: { start: scan.min, end: scan.max } } : {}),
    files: scan.files,
    lines: scan.lines,
    untemplated: scan.untemplated,
    new: [],
    surging: [],
    quiet: [],
    totals: { new: 0, surging: 0, quiet: 0 },
    thresholds: { surgeMinCount, surgeMinRatio: SURGE_MIN_RATIO, quietMinBaseline: QUIET_MIN_BASELINE, quietMinExpected: QUIET_MIN_EXPECTED, quietSlices: QUIET_SLICES },
    ...(scan.partial ? { partial: scan.partial } : {}),
    notes: scan.notes,
  };
  // Without baseline lines nothing can be called new, and without incident lines nothing surged or stopped.
  if (!covered.incident || !covered.baseline || scan.lines.incident === 0 || scan.lines.baseline === 0) return result;
  const incidentMs = covered.incident.end - covered.incident.start;
  const baselineMs = covered.baseline.end - covered.baseline.start;

  const fresh: TemplateChange[] = [];
  const surging: TemplateChange[] = [];
  const quiet: TemplateChange[] = [];
  const sliceMs = (windows.baseline.end - windows.baseline.start) / QUIET_SLICES;
  const slicesWithLines = popcount(scan.baselineSlices & sliceMask(covered.baseline, windows.baseline.start, sliceMs));
  for (const t of merged(scan.tallies)) {
    const template = t.template.tokens.join(' ') || '(empty message)';
    const common = { template, ...(t.level ? { level: t.level } : {}), incidentCount: t.incident, baselineCount: t.baseline };
    if (t.incident > 0 && t.baseline === 0) {
      fresh.push({ ...common, firstSeen: t.firstIncident! });
    } else if (t.incident >= surgeMinCount && t.baseline > 0) {
      const rateRatio = t.incident / incidentMs / (t.baseline / baselineMs);
      if (rateRatio >= SURGE_MIN_RATIO) surging.push({ ...common, rateRatio, firstSeen: t.firstIncident! });
    } else if (t.incident === 0 && t.baseline >= QUIET_MIN_BASELINE) {
      const expected = (t.baseline * incidentMs) / baselineMs;
      const regular = popcount(t.slices) * 2 >= slicesWithLines;
      if (expected >= QUIET_MIN_EXPECTED && regular) quiet.push({ ...common, firstSeen: t.firstBaseline!, lastSeen: t.lastBaseline! });
    }
  }
  result.totals = { new: fresh.length, surging: surging.length, quiet: quiet.length };
  result.new = pickNew(fresh, limit);
  result.surging = surging.sort((a, b) => b.rateRatio! - a.rateRatio! || b.incidentCount - a.incidentCount).slice(0, limit);
  result.quiet = quiet.sort((a, b) => b.baselineCount - a.baselineCount).slice(0, limit);
  return options.changes ? withPrecedingChanges(result, options.changes) : result;
}

/** Tallies of the same final template text, added up. */
function merged(tallies: Map<number, Tally>): Tally[] {
  const byText = new Map<string, Tally>();
  for (const t of tallies.values()) {
    const key = t.template.tokens.join(' ');
    const into = byText.get(key);
    if (!into) {
      byText.set(key, { ...t });
      continue;
    }
    into.incident += t.incident;
    into.baseline += t.baseline;
    into.slices |= t.slices;
    into.level ??= t.level;
    if (t.firstIncident && (!into.firstIncident || t.firstIncident.ms < into.firstIncident.ms)) into.firstIncident = t.firstIncident;
    if (t.firstBaseline && (!into.firstBaseline || t.firstBaseline.ms < into.firstBaseline.ms)) into.firstBaseline = t.firstBaseline;
    if (t.lastBaseline && (!into.lastBaseline || t.lastBaseline.ms > into.lastBaseline.ms)) into.lastBaseline = t.lastBaseline;
  }
  return [...byText.values()];
}

const SEVERE: readonly (Level | undefined)[] = ['fatal', 'error'];
const severity = (t: TemplateChange) => (SEVERE.includes(t.level) ? 1 : 0);
const byFirstSeen = (a: TemplateChange, b: TemplateChange) => a.firstSeen.ms - b.firstSeen.ms;

/**
 * Which new templates matter most when not all can be listed: errors and fatals first, then the
 * most frequent, then the earliest. A burst of one-off info lines must not push the new error out.
 */
export const newTemplatePriority = (a: TemplateChange, b: TemplateChange): number => severity(b) - severity(a) || b.incidentCount - a.incidentCount || byFirstSeen(a, b);

/** The `limit` new templates that matter most (newTemplatePriority), in order of first appearance. */
function pickNew(fresh: TemplateChange[], limit: number): TemplateChange[] {
  if (fresh.length <= limit) return fresh.sort(byFirstSeen);
  return fresh.sort(newTemplatePriority).slice(0, limit).sort(byFirstSeen);
}

/**
 * The comparison with each new template given the nearest deploy or commit at or before its
 * first appearance. Separate from compareWindows so a caller can read deploy history while the
 * logs are being read, and attach it after.
 */
export function withPrecedingChanges(comparison: WindowComparison, changes: readonly Change[]): WindowComparison {
  const nearest = (ms: number) => {
    let best: Change | undefined;
    for (const c of changes) if (c.time <= ms && (!best || c.time > best.time)) best = c;
    return best;
  };
  return {
    ...comparison,
    new: comparison.new.map((t) => {
      const change = nearest(t.firstSeen.ms);
      return change ? { ...t, precedingChange: change } : t;
    }),
  };
}

/** Bits of the baseline slices that `span` overlaps. */
function sliceMask(span: TimeSpan, start: number, sliceMs: number): number {
  let mask = 0;
  for (let i = sliceOf(span.start, start, sliceMs); i <= sliceOf(span.end - 1, start, sliceMs); i++) mask |= 1 << i;
  return mask;
}

function popcount(mask: number): number {
  let n = 0;
  for (let m = mask >>> 0; m; m &= m - 1) n++;
  return n;
}

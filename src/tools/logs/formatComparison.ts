import { ago, changeLabel } from '../deploys/getRecentDeploys';
import type { ResolvedWindows } from './comparisonWindows';
import { newTemplatePriority, type TemplateChange, type TimeSpan, type WindowComparison } from './windowComparison';

/** Output budget of one comparison, below the registry's cap (about 8,000) so the closing notes always survive. */
export const COMPARISON_BUDGET_CHARS = 7_000;
/** Items of each section listed before any section gets more, so a long list of new templates cannot crowd out the others. */
const FIRST_ITEMS_EACH = 3;
/** Template text shown; the sample line after it carries the detail. */
const TEMPLATE_CHARS = 160;
const FILES_LISTED = 6;
const SUBJECT_CHARS = 80;
/** Notes (files skipped, deploy sources unreadable) shown before the rest are counted: thousands of skipped files must not crowd out the comparison. */
const NOTES_SHOWN = 5;

const iso = (ms: number) => new Date(ms).toISOString();
const fmt = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, word: string) => `${fmt(n)} ${word}${n === 1 ? '' : 's'}`;
const span = (w: TimeSpan, why = '') => `${iso(w.start)} → ${iso(w.end)} (${ago(w.end - w.start)}${why})`;
/** Part of a window the logs may leave uncovered before it is worth a line (the minute after the last line, say). */
const UNCOVERED_WORTH_SAYING = 0.1;

export interface FormatOptions {
  /** How the windows were chosen, when the caller defaulted some bounds. */
  resolved?: Omit<ResolvedWindows, 'windows'>;
  budgetChars?: number;
}

/**
 * The comparison as text for the model: windows and coverage, then the new, surging and quiet
 * templates, each with its first (or last) occurrence as file:line and a sample line, within
 * `budgetChars`; what did not fit is counted, never dropped silently.
 */
export function formatComparison(c: WindowComparison, options: FormatOptions = {}): string {
  const head = header(c, options.resolved);
  const tail = footer(c);
  const budget = (options.budgetChars ?? COMPARISON_BUDGET_CHARS) - [...head, ...tail].join('\n').length;
  if (c.lines.incident === 0 || c.lines.baseline === 0) return [...head, emptyWindow(c), ...tail].join('\n');

  const sections = [
    {
      items: c.new,
      describe: describeNew,
      priority: newTemplatePriority,
      total: c.totals.new,
      title: titleNew(c),
      none: 'NEW: none — every template in the incident window also appears in the baseline.',
    },
    {
      items: c.surging,
      describe: describeSurging,
      total: c.totals.surging,
      title: titleSurging(c),
      none: `SURGING: none at ${c.thresholds.surgeMinRatio}× the baseline rate or more with at least ${c.thresholds.surgeMinCount} lines.`,
    },
    {
      items: c.quiet,
      describe: describeQuiet,
      total: c.totals.quiet,
      title: titleQuiet(c),
      none: 'WENT QUIET: none — no template that was regular in the baseline is missing from the incident window.',
    },
  ];
  const texts = sections.map((s) => s.items.map(s.describe));
  const shown = fit(
    texts,
    sections.map((s) => (s.priority ? [...s.items.keys()].sort((a, b) => s.priority(s.items[a]!, s.items[b]!)) : [...s.items.keys()])),
    budget - sections.reduce((n, s) => n + Math.max(s.title.length, s.none.length) + 80, 0),
  );
  const body: string[] = [];
  sections.forEach((s, i) => {
    if (s.total === 0) return body.push(s.none);
    body.push(s.title, ...texts[i]!.filter((_, j) => shown[i]!.has(j)));
    const left = s.total - shown[i]!.size;
    if (left > 0) body.push(`  [${plural(left, 'more template')} not shown${shown[i]!.size < s.items.length ? ' (output budget)' : ''}; narrow the windows or the files, or raise limit]`);
  });
  return [...head, ...body, ...tail].join('\n');
}

/**
 * Which items of each list fit in `budget` characters, taken in each list's priority order:
 * FIRST_ITEMS_EACH of each list in turn, then the rest. The lists keep their own order when shown.
 */
function fit(lists: string[][], priority: number[][], budget: number): Set<number>[] {
  const chosen = lists.map(() => new Set<number>());
  const next = lists.map(() => 0);
  let used = 0;
  const take = (i: number, upTo: number) => {
    while (next[i]! < Math.min(upTo, lists[i]!.length)) {
      const index = priority[i]![next[i]!]!;
      const size = lists[i]![index]!.length + 1;
      if (used + size > budget) return;
      used += size;
      chosen[i]!.add(index);
      next[i]!++;
    }
  };
  lists.forEach((_, i) => take(i, FIRST_ITEMS_EACH));
  lists.forEach((_, i) => take(i, Infinity));
  return chosen;
}

function header(c: WindowComparison, resolved: FormatOptions['resolved']): string[] {
  const endFrom = resolved?.incidentEndFrom === 'logs' ? '; default end: the minute after the last line of the logs' : resolved?.incidentEndFrom === 'now' ? '; default end: now' : '';
  const out = [
    `Incident window: ${span(c.windows.incident, endFrom)}`,
    `Baseline window: ${span(c.windows.baseline, resolved?.defaultBaseline ? '; default: the same length just before the incident' : '')}`,
  ];
  for (const [name, window] of [
    ['incident', 'incident'],
    ['baseline', 'baseline'],
  ] as const) {
    const covered = c.covered[window];
    const full = c.windows[window];
    const uncovered = covered ? full.end - full.start - (covered.end - covered.start) : 0;
    if (covered && uncovered > (full.end - full.start) * UNCOVERED_WORTH_SAYING) out.push(`  The logs cover only ${span(covered)} of the ${name} window; rates are per covered time.`);
  }
  const l = c.lines;
  out.push(
    `Read ${plural(c.files.length, 'file')}, ${plural(l.read, 'line')}: ${fmt(l.incident)} in the incident window, ${fmt(l.baseline)} in the baseline, ${fmt(l.outside)} outside both, ${fmt(l.untimed)} without a timestamp (lines without one of their own, such as stack traces, belong to the entry above).`,
  );
  const perFile = c.files.slice(0, FILES_LISTED).map((f) => {
    const extra = [f.untimed ? `${fmt(f.untimed)} without a timestamp` : '', f.complete ? '' : 'not read to the end'].filter(Boolean).join(', ');
    return `  ${f.file}: ${fmt(f.lines)} lines, ${fmt(f.incidentLines)} incident, ${fmt(f.baselineLines)} baseline${extra ? `; ${extra}` : ''}`;
  });
  out.push(...perFile);
  if (c.files.length > perFile.length) out.push(`  [${plural(c.files.length - perFile.length, 'more file')}]`);
  if (c.partial) out.push(`PARTIAL: ${c.partial.reason}; results cover only what was read${c.partial.unread.length ? ` (not read: ${listed(c.partial.unread)})` : ''}.`);
  return out;
}

/** At most FILES_LISTED names, then how many more. */
function listed(names: readonly string[]): string {
  const more = names.length - FILES_LISTED;
  return `${names.slice(0, FILES_LISTED).join(', ')}${more > 0 ? ` and ${plural(more, 'more file')}` : ''}`;
}

function footer(c: WindowComparison): string[] {
  const out = c.notes.slice(0, NOTES_SHOWN);
  if (c.notes.length > NOTES_SHOWN) out.push(`[${plural(c.notes.length - NOTES_SHOWN, 'more note')} like these]`);
  if (c.untemplated) out.push(`[${plural(c.untemplated, 'line')} in the windows not templated: template limit reached; narrow the files]`);
  return out;
}

/** Why nothing is compared when a window holds no line, with the logs' own span to pick better bounds from. */
function emptyWindow(c: WindowComparison): string {
  if (c.partial) return `Nothing compared: ${c.partial.reason} before both windows had lines; run again without a time budget.`;
  if (!c.logSpan) return 'Nothing to compare: no line in the files read carries a timestamp this tool recognises.';
  const why =
    c.lines.incident === 0 && c.lines.baseline === 0
      ? 'neither window holds a log line'
      : c.lines.incident === 0
        ? 'the incident window holds no log line'
        : 'the baseline window holds no log line, so nothing can be called new';
  return `Nothing to compare: ${why}. The logs read span ${iso(c.logSpan.start)} → ${iso(c.logSpan.end)}; choose windows inside that span (incident_start, incident_end, baseline_start, baseline_end).`;
}

const levelTag = (t: TemplateChange) => (t.level ? `[${t.level}] ` : '');
const cut = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars)}…` : text);
const templateText = (t: TemplateChange) => cut(t.template, TEMPLATE_CHARS);
const at = (o: { ms: number; file: string; line: number }) => `${iso(o.ms)} at ${o.file}:${o.line}`;

function titleNew(c: WindowComparison): string {
  return `NEW in the incident window (${plural(c.totals.new, 'template')} never seen in the baseline; in order of first appearance):`;
}
function titleSurging(c: WindowComparison): string {
  const t = c.thresholds;
  return `SURGING (${plural(c.totals.surging, 'template')} at ${t.surgeMinRatio}× the baseline rate or more, with at least ${t.surgeMinCount} lines in the incident window; rates per covered time):`;
}
function titleQuiet(c: WindowComparison): string {
  const t = c.thresholds;
  return `WENT QUIET (${plural(c.totals.quiet, 'template')} regular in the baseline — at least ${t.quietMinBaseline} lines, in at least half of its ${t.quietSlices} slices — and absent from the incident window, where ${t.quietMinExpected}+ were expected):`;
}

function describeNew(t: TemplateChange): string {
  const change = t.precedingChange;
  const after = change
    ? `; ${ago(t.firstSeen.ms - change.time)} after ${changeLabel(change)} at ${iso(change.time)}${change.subject ? ` "${cut(change.subject, SUBJECT_CHARS)}"` : ''} [${change.source}]`
    : '';
  return [`  ${fmt(t.incidentCount)}× ${levelTag(t)}${templateText(t)}`, `     first ${at(t.firstSeen)}${after}`, `     e.g. ${t.firstSeen.sample}`].join('\n');
}

function describeSurging(t: TemplateChange): string {
  const ratio = t.rateRatio! >= 100 ? fmt(Math.round(t.rateRatio!)) : t.rateRatio!.toFixed(1);
  return [
    `  ${ratio}× the baseline rate: ${fmt(t.incidentCount)} in the incident window vs ${fmt(t.baselineCount)} in the baseline — ${levelTag(t)}${templateText(t)}`,
    `     first in the incident window ${at(t.firstSeen)}`,
    `     e.g. ${t.firstSeen.sample}`,
  ].join('\n');
}

function describeQuiet(t: TemplateChange): string {
  return [`  ${fmt(t.baselineCount)} in the baseline, 0 since — ${levelTag(t)}${templateText(t)}`, `     last seen ${at(t.lastSeen!)}`, `     e.g. ${t.firstSeen.sample}`].join('\n');
}

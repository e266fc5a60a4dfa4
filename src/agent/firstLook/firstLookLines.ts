import type { FirstLook, FirstLookDeploy, FirstLookTemplate } from '../../shared/firstLook';
import { deployLabel, firstLookClock } from '../../shared/firstLookText';
import { ago } from '../../tools/deploys/getRecentDeploys';
import { formatBytes } from '../../tools/logs/listLogFiles';

/** Template or sample text kept on one line: the location is given, the rest is a read_log away. */
const TEXT_CHARS = 140;
const SUBJECT_CHARS = 100;
/** A template's own nearest deploy or commit is worth a mention when this recent (and not the one before the start). */
const NEAR_CHANGE_MS = 3_600_000;

const fmt = (n: number) => n.toLocaleString('en-US');
const cut = (text: string, chars: number) => (text.length > chars ? `${text.slice(0, chars)}…` : text);

/** A view's way of writing a time (see firstLookClock). */
type Clock = (iso: string) => string;

/**
 * The first look as text, one fact a line: what the model reads in the first message (inside the
 * tool-output delimiters) and what the terminal prints, each under a heading of its own. Deterministic: the same first look gives
 * the same bytes (no duration, no clock), so a run and its preview send the same first message.
 */
export function firstLookLines(look: FirstLook): string[] {
  const out: string[] = [];
  const { time: t, day } = firstLookClock(look);
  const scope = look.logFile ? `the file the engineer started from, ${look.logFile}` : `${fmt(look.filesTotal)} log file${look.filesTotal === 1 ? '' : 's'}`;
  out.push(`Looked at ${scope}; times UTC${day ? `, all on ${day}` : ''}.`);
  const span = (first?: string, last?: string) => (first ? `${t(first)} → ${last ? t(last) : '?'}` : 'no timestamps found');
  if (look.files.length) {
    const more = look.filesTotal > look.files.length ? `; ${fmt(look.filesTotal - look.files.length)} more not listed` : '';
    out.push(`Files (first → last timestamp${more}):`);
    for (const f of look.files) {
      const size = [f.lines !== undefined ? `${fmt(f.lines)} lines` : undefined, formatBytes(f.sizeBytes), f.format === 'plain' ? undefined : f.format].filter(Boolean).join(', ');
      out.push(`- ${f.path}: ${span(f.first, f.last)} (${size})`);
    }
  }
  const b = look.burst;
  // The burst's first line is usually a new template's first occurrence too: its text is shown there.
  const listed = look.changes?.new.some((n) => n.first.file === b?.file && n.first.line === b.line);
  if (b)
    out.push(`First error burst: ${fmt(b.count)} error lines within ${b.windowSeconds} s from ${t(b.time)}, first at ${b.file}:${b.line}${listed ? ' (below)' : `: ${cut(b.sample, TEXT_CHARS)}`}`);
  else if (look.files.length) out.push(`No error burst (5 error lines within 60 s) in what was read.`);
  if (look.start) out.push(`Suspected start: ${t(look.start.time)}, ${look.start.from === 'description' ? `from the description ("${look.start.quote ?? ''}")` : 'the first error burst'}.`);
  if (look.timeNote) out.push(look.timeNote);
  const w = look.windows;
  const c = look.changes;
  if (w && c) {
    out.push(`Compared the incident window ${span(w.incident.start, w.incident.end)} with the baseline ${span(w.baseline.start, w.baseline.end)}:`);
    out.push(...section('New templates (not in the baseline)', c.new, c.totals.new, (n) => newLine(n, look.precedingChange, t)));
    out.push(...section('Surging', c.surging, c.totals.surging, (n) => surgingLine(n, t)));
    out.push(...section('Gone quiet', c.quiet, c.totals.quiet, (n) => quietLine(n, t)));
  }
  if (look.precedingChange) out.push(`Nearest deploy or commit before the start: ${deployLine(look.precedingChange, look.start?.time)}`);
  if (look.partial) out.push(look.partial);
  for (const note of look.notes) out.push(`Note: ${note}`);
  if (look.redactions) out.push(`${fmt(look.redactions)} secret${look.redactions === 1 ? '' : 's'} redacted.`);
  return out;
}

function section(title: string, items: readonly FirstLookTemplate[], total: number, line: (t: FirstLookTemplate) => string): string[] {
  if (total === 0) return [`${title}: none.`];
  const shown = items.length < total ? `${items.length} of ${fmt(total)}` : fmt(total);
  return [`${title} (${shown}):`, ...items.map((t) => `- ${line(t)}`)];
}

const level = (t: FirstLookTemplate) => (t.level ? `[${t.level}] ` : '');

/**
 * A template seen once is shown as its line: the line says more than the template
 * (maximumPoolSize=5, not <*>). Its own nearest change only when recent and not the one before the start.
 */
function newLine(n: FirstLookTemplate, overall: FirstLookDeploy | undefined, t: Clock): string {
  const text = n.incidentCount === 1 ? n.first.sample : n.template;
  const c = n.change;
  const own = c && (c.ref !== overall?.ref || c.time !== overall.time) && Date.parse(n.first.time) - Date.parse(c.time) <= NEAR_CHANGE_MS;
  return `${t(n.first.time)} ${n.first.file}:${n.first.line} ${level(n)}${fmt(n.incidentCount)}×: ${cut(text, TEXT_CHARS)}${own ? ` (after ${deployLine(c, n.first.time)})` : ''}`;
}

function surgingLine(n: FirstLookTemplate, t: Clock): string {
  const ratio = n.rateRatio === undefined ? '' : `, ${n.rateRatio.toFixed(1)}× the rate`;
  return `${level(n)}${fmt(n.incidentCount)}× (baseline ${fmt(n.baselineCount)}×${ratio}) from ${t(n.first.time)} at ${n.first.file}:${n.first.line}: ${cut(n.template, TEXT_CHARS)}`;
}

function quietLine(n: FirstLookTemplate, t: Clock): string {
  const last = n.last ? `, last at ${t(n.last.time)} (${n.last.file}:${n.last.line})` : '';
  return `${level(n)}${fmt(n.baselineCount)}× in the baseline, none since${last}: ${cut(n.template, TEXT_CHARS)}`;
}

/** "deploy payments 2.14.0 at 2026-11-20T14:02:05.000Z (3m before): Read DB pool size … [deploys.json]" */
export function deployLine(d: FirstLookDeploy, before?: string): string {
  const what = deployLabel(d);
  const gap = before ? ` (${ago(Date.parse(before) - Date.parse(d.time))} before)` : '';
  return `${what} at ${d.time}${gap}: ${cut(d.subject || '(no description)', SUBJECT_CHARS)} [${d.source}]`;
}

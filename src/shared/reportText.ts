import type { VerifiedEvidence, VerifiedReport, VerifiedTimelineEntry } from './report';

// The words every view of a verified report uses — panel, Markdown export, terminal — written
// once so that the three say the same thing. Type-only imports: the panel bundles this without zod.

/** The marks of the plain-text views; the panel draws codicons next to the same words. */
export const VERIFICATION_MARK = { verified: '✓', moved: '↪', unverified: '⚠' } as const;
/** The model's judgement of each hypothesis: not the check mark, which only the engine's evidence check gives. */
export const HYPOTHESIS_MARK = { supported: '▲', refuted: '✗', open: '?' } as const;

/** "#3": an evidence item as hypotheses and the timeline cite it, 1-based like the model's references. */
export const evidenceRef = (position: number): string => `#${position}`;
export const evidenceRefs = (positions: readonly number[]): string => positions.map(evidenceRef).join(', ');

/** A confidence as every view shows it: 0.8 → "80%". */
export const percent = (fraction: number): string => `${Math.round(fraction * 100)}%`;
const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * The line an evidence link opens: where the text really is (the line, or the other file, the
 * engine found it in when the citation had moved). Nothing for an unverified line — a link there
 * would send the reader to a place the citation is known not to be — nor for metrics and deploys.
 */
export function evidenceTarget(e: VerifiedEvidence): { file: string; line: number } | undefined {
  if (e.kind !== 'log' && e.kind !== 'file') return undefined;
  const v = e.verification;
  if (v.status === 'unverified') return undefined;
  return v.status === 'moved' ? { file: v.file ?? e.file, line: v.line } : { file: e.file, line: e.line };
}

/** What an item cites, on one line: "logs/app.log:52" (where it really is), "latency_p95 of payments = 2.9 at …", "deploy v2.14". */
export function evidenceLabel(e: VerifiedEvidence): string {
  switch (e.kind) {
    case 'log':
    case 'file': {
      const at = evidenceTarget(e) ?? { file: e.file, line: e.line };
      return `${at.file}:${at.line}`;
    }
    case 'metric':
      return `${e.metric} of ${e.service} = ${e.value} at ${e.time}`;
    case 'deploy':
    case 'commit':
      return `${e.kind} ${e.ref}`;
  }
}

/** The check in words: "verified", "moved to line 52 (cited line 40)", "unverified: excerpt not in the file". */
export function verificationText(e: VerifiedEvidence): string {
  const v = e.verification;
  switch (v.status) {
    case 'verified':
      return 'verified';
    case 'unverified':
      return `unverified: ${v.reason}`;
    case 'moved': {
      // Only line items move; the cited place is kept in the words because the label shows the real one.
      if (e.kind !== 'log' && e.kind !== 'file') return `moved to line ${v.line}`;
      return v.file && v.file !== e.file ? `moved to ${v.file}:${v.line} (cited ${e.file}:${e.line})` : `moved to line ${v.line} (cited line ${e.line})`;
    }
  }
}

export interface SummaryPart {
  readonly text: string;
  /** ok: everything found; warning: something the reader must not trust; plain: neither. */
  readonly tone: 'ok' | 'moved' | 'warning' | 'plain';
}

/** The report header's count: "8 of 8 evidence items verified", or "6 of 8 evidence items verified · 1 moved · 1 unverified". */
export function verificationSummary(r: VerifiedReport): SummaryPart[] {
  const { verified, moved, unverified, timelineDisagreements } = r.verification;
  const total = verified + moved + unverified;
  if (total === 0) return [{ text: 'no evidence cited', tone: 'warning' }];
  const parts: SummaryPart[] = [{ text: `${verified} of ${count(total, 'evidence item', 'evidence items')} verified`, tone: unverified ? 'plain' : 'ok' }];
  if (moved) parts.push({ text: `${moved} moved`, tone: 'moved' });
  if (unverified) parts.push({ text: `${unverified} unverified`, tone: 'warning' });
  if (timelineDisagreements) parts.push({ text: timelineDisagreementText(timelineDisagreements), tone: 'warning' });
  return parts;
}

const timelineDisagreementText = (n: number): string => (n === 1 ? '1 timeline entry contradicts its line' : `${n} timeline entries contradict their lines`);

export const SUMMARY_SEPARATOR = ' · ';

/**
 * "confidence 40%", and when failing evidence lowered it, why and from what:
 * { shown: 'confidence 40%', cap: 'capped: 2 of 8 evidence items unverified (model said 90%)' }.
 */
export function confidenceText(r: VerifiedReport): { shown: string; cap?: string } {
  const shown = `confidence ${percent(r.confidence)}`;
  const { verified, moved, unverified, timelineDisagreements, confidenceCappedFrom } = r.verification;
  if (confidenceCappedFrom === undefined) return { shown };
  const reasons = [
    unverified ? `${unverified} of ${count(verified + moved + unverified, 'evidence item', 'evidence items')} unverified` : '',
    timelineDisagreements ? timelineDisagreementText(timelineDisagreements) : '',
  ].filter(Boolean);
  return { shown, cap: `capped: ${reasons.join(', ') || 'evidence failed verification'} (model said ${percent(confidenceCappedFrom)})` };
}

/** Said when the model was shown what failed and submitted again; whether that fixed it decides the words. */
export function resubmittedNote(r: VerifiedReport): string | undefined {
  if (!r.verification.resubmitted) return undefined;
  const stillFailing = r.verification.unverified > 0 || r.verification.timelineDisagreements > 0;
  return stillFailing
    ? 'Checked twice: the model was shown what failed and resubmitted; what still fails is flagged below.'
    : 'Checked twice: verification found problems in the first report and the model corrected them.';
}

/** "time disagrees: the line says 14:07:02" for a timeline entry its cited line contradicts. */
export function timelineCheckText(t: VerifiedTimelineEntry): string | undefined {
  return t.check?.status === 'disagrees' ? `time disagrees: ${t.check.reason}` : undefined;
}

/** The summary on one line: the run's closing message, the model's receipt and the plain-text views. */
export function verificationSummaryLine(r: VerifiedReport): string {
  return verificationSummary(r)
    .map((p) => p.text)
    .join(SUMMARY_SEPARATOR);
}

import type { VerifiedEvidence, VerifiedReport } from '../shared/report';
import {
  confidenceText,
  evidenceLabel,
  evidenceRef,
  evidenceRefs,
  HYPOTHESIS_MARK,
  percent,
  resubmittedNote,
  verificationSummaryLine,
  timelineCheckText,
  VERIFICATION_MARK,
  verificationSummary,
  verificationText,
} from '../shared/reportText';

/**
 * The report as Markdown, for export and for pasting into an incident channel, with the same marks
 * as the panel: each evidence item's check, the verification summary, the hypotheses with their
 * status, and for an inconclusive report what was checked and what is missing.
 */
export function reportToMarkdown(r: VerifiedReport): string {
  const inconclusive = r.conclusion === 'inconclusive';
  const { cap } = confidenceText(r);
  const summary = verificationSummary(r);
  const lines = [
    `# ${r.title}`,
    '',
    [
      `**Severity:** ${r.severity}`,
      inconclusive ? `**Conclusion:** ${VERIFICATION_MARK.unverified} Inconclusive` : '',
      `**Confidence:** ${percent(r.confidence)}${cap ? ` — ${VERIFICATION_MARK.unverified} ${cap}` : ''}`,
      r.affected_services.length ? `**Affected:** ${r.affected_services.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join(' · '),
    '',
    `**Evidence:** ${summary.some((p) => p.tone === 'warning') ? VERIFICATION_MARK.unverified : VERIFICATION_MARK.verified} ${verificationSummaryLine(r)}`,
  ];
  const note = resubmittedNote(r);
  if (note) lines.push('', `_${note}_`);
  lines.push('', r.summary, '', inconclusive ? '## Leading candidate' : '## Suspected root cause', '', r.suspected_root_cause);
  if (inconclusive) {
    lines.push('', '## Inconclusive', '', '**Checked**', '', ...bullets(r.checked), '', '**Missing**', '', ...bullets(r.missing));
  }
  if (r.hypotheses.length) {
    lines.push('', '## Hypotheses', '');
    for (const h of r.hypotheses) {
      // Struck through but kept: what the evidence ruled out is part of the answer.
      const statement = h.status === 'refuted' ? `~~${h.statement}~~` : h.statement;
      lines.push(`- ${HYPOTHESIS_MARK[h.status]} **${h.status}** — ${statement}${h.evidence.length ? ` (evidence ${evidenceRefs(h.evidence)})` : ''}`);
    }
  }
  if (r.evidence.length) {
    lines.push('', '## Evidence', '');
    r.evidence.forEach((e, i) => lines.push(...evidenceItem(e, i + 1)));
  }
  if (r.timeline.length) {
    lines.push('', '## Timeline', '', '| time | event | evidence |', '|---|---|---|');
    for (const t of r.timeline) {
      const disagreement = timelineCheckText(t);
      const cited = [t.evidence === undefined ? '' : evidenceRef(t.evidence), disagreement ? `${VERIFICATION_MARK.unverified} ${disagreement}` : ''].filter(Boolean).join(' ');
      lines.push(`| ${cell(t.time)} | ${cell(t.event)} | ${cell(cited)} |`);
    }
  }
  lines.push('', inconclusive ? '## What to look at next' : '## Next steps', '', ...r.next_steps.map((s, i) => `${i + 1}. ${s}`), '');
  return lines.join('\n');
}

/** "- **#2** `logs/app.log:52` ↪ moved to line 52 (cited line 40) — why", then the excerpt as a code block. */
function evidenceItem(e: VerifiedEvidence, position: number): string[] {
  const label = e.kind === 'log' || e.kind === 'file' ? codeSpan(evidenceLabel(e)) : evidenceLabel(e);
  const head = `- **${evidenceRef(position)}** ${label} ${VERIFICATION_MARK[e.verification.status]} ${verificationText(e)} — ${e.why}`;
  return e.kind === 'log' || e.kind === 'file' ? [head, ...codeBlock(e.excerpt).map((l) => `  ${l}`)] : [head];
}

function bullets(entries: readonly string[] | undefined): string[] {
  return entries?.length ? entries.map((e) => `- ${e}`) : ['_not stated in the report_'];
}

/** A table cell: a `|` would end it and a line break would end the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

const longestRun = (text: string): number => Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));

/** Inline code that backticks in a path cannot close early (CommonMark: a longer delimiter, padded next to a backtick). */
function codeSpan(text: string): string {
  const fence = '`'.repeat(longestRun(text) + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A fenced block that a ``` in a log line cannot close early. */
function codeBlock(text: string): string[] {
  const fence = '`'.repeat(Math.max(3, longestRun(text) + 1));
  return [fence, ...text.split('\n'), fence];
}

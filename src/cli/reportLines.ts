import type { VerifiedReport } from '../shared/report';
import {
  confidenceText,
  evidenceLabel,
  evidenceRef,
  evidenceRefs,
  evidenceTarget,
  HYPOTHESIS_MARK,
  resubmittedNote,
  SUMMARY_SEPARATOR,
  type SummaryPart,
  timelineCheckText,
  VERIFICATION_MARK,
  verificationSummary,
  verificationText,
} from '../shared/reportText';
import { sanitizeForTerminal, type Style } from './terminal';

/**
 * The verified report for a terminal, line by line, with the panel's marks: each evidence item's
 * check, the summary, the capped confidence, the hypotheses, Inconclusive with what is missing.
 * Colour only repeats what the words and marks say, so it reads the same with NO_COLOR.
 */
export function reportLines(r: VerifiedReport, s: Style): string[] {
  // Everything the model, a log or a check wrote passes through here: it may hold escape sequences.
  const c = sanitizeForTerminal;
  const toned = (tone: SummaryPart['tone'], text: string) => (tone === 'ok' ? s.green(text) : tone === 'moved' ? s.cyan(text) : tone === 'warning' ? s.yellow(text) : text);
  const inconclusive = r.conclusion === 'inconclusive';
  const { shown, cap } = confidenceText(r);
  const summary = verificationSummary(r);
  const trusted = summary.every((p) => p.tone !== 'warning');
  const out = [
    '',
    s.bold('══ Triage report ══'),
    [
      s.bold(severityLabel(r.severity, s)),
      inconclusive ? s.yellow(s.bold(`${VERIFICATION_MARK.unverified} INCONCLUSIVE`)) : '',
      s.bold(c(r.title)),
      `${s.dim(shown)}${cap ? ` ${s.yellow(`— ${VERIFICATION_MARK.unverified} ${cap}`)}` : ''}`,
    ]
      .filter(Boolean)
      .join('  '),
    `${trusted ? s.green(VERIFICATION_MARK.verified) : s.yellow(VERIFICATION_MARK.unverified)} ${summary.map((p) => toned(p.tone, p.text)).join(s.dim(SUMMARY_SEPARATOR))}`,
  ];
  const note = resubmittedNote(r);
  if (note) out.push(s.dim(note));
  out.push('', c(r.summary), '', s.bold(inconclusive ? 'Leading candidate' : 'Suspected root cause'), c(r.suspected_root_cause));
  if (r.affected_services.length) out.push(`${s.bold('Affected:')} ${c(r.affected_services.join(', '))}`);
  if (inconclusive) {
    out.push('', s.yellow(s.bold('Inconclusive')));
    for (const [title, entries] of [
      ['Checked', r.checked],
      ['Missing', r.missing],
    ] as const) {
      out.push(`  ${s.bold(title)}`, ...(entries?.length ? entries.map((entry) => `    - ${c(entry)}`) : [s.dim('    not stated in the report')]));
    }
  }
  if (r.hypotheses.length) {
    out.push('', s.bold('Hypotheses'));
    for (const h of r.hypotheses) {
      const status = `${HYPOTHESIS_MARK[h.status]} ${h.status.padEnd('supported'.length)}`;
      // Refuted stays on the page, dimmed: what the evidence ruled out is part of the answer.
      const head = h.status === 'supported' ? s.green(status) : h.status === 'open' ? s.cyan(status) : s.dim(status);
      out.push(`  ${head} ${h.status === 'refuted' ? s.dim(c(h.statement)) : c(h.statement)}${h.evidence.length ? s.dim(`  (evidence ${evidenceRefs(h.evidence)})`) : ''}`);
    }
  }
  if (r.evidence.length) {
    out.push('', s.bold('Evidence'));
    r.evidence.forEach((e, i) => {
      const status = e.verification.status;
      const label = c(evidenceLabel(e));
      const check = toned(status === 'verified' ? 'ok' : status === 'moved' ? 'moved' : 'warning', `${VERIFICATION_MARK[status]} ${c(verificationText(e))}`);
      // Cyan marks a place to open, as a link does in the panel; an unverified citation is not one.
      out.push(`  ${s.bold(evidenceRef(i + 1))} ${evidenceTarget(e) ? s.cyan(label) : label}  ${check}`);
      if (e.kind === 'log' || e.kind === 'file')
        out.push(
          ...c(e.excerpt)
            .slice(0, 200)
            .split('\n')
            .map((l) => `     ${s.dim(l)}`),
        );
      out.push(`     ${c(e.why)}`);
    });
  }
  if (r.timeline.length) {
    out.push('', s.bold('Timeline'));
    for (const t of r.timeline) {
      const disagreement = timelineCheckText(t);
      const cited = t.evidence === undefined ? '' : s.dim(`  ${evidenceRef(t.evidence)}`);
      out.push(`  ${s.dim(c(t.time))}  ${c(t.event)}${cited}${disagreement ? `  ${s.yellow(`${VERIFICATION_MARK.unverified} ${c(disagreement)}`)}` : ''}`);
    }
  }
  out.push('', s.bold(inconclusive ? 'What to look at next' : 'Next steps'), ...r.next_steps.map((step, i) => `  ${i + 1}. ${c(step)}`));
  return out;
}

function severityLabel(severity: VerifiedReport['severity'], s: Style): string {
  return severity === 'SEV1' || severity === 'SEV2' ? s.red(`[${severity}]`) : s.yellow(`[${severity}]`);
}

import type { VerifiedReport } from '../../shared/report';
import { confidenceText, resubmittedNote, SUMMARY_SEPARATOR, timelineCheckText, verificationSummary } from '../../shared/reportText';
import type { PanelToHost } from '../protocol';
import type { Dom } from './dom';
import { decorativeIcon, evidenceRefButtons, renderEvidenceItem } from './reportEvidence';

// Not the evidence check's icons: a hypothesis' status is the model's judgement, not something the engine checked.
const HYPOTHESIS_ICON = { supported: 'arrow-up', refuted: 'circle-slash', open: 'question' } as const;

/**
 * The report card: every field as text, each evidence item with the engine's check of it, the
 * hypotheses (refuted ones kept) citing items by number, and for an inconclusive report what was
 * checked and what is missing. Evidence links ask the host to open the line where the text is.
 */
export function renderReport(dom: Dom, r: VerifiedReport, post: (message: PanelToHost) => void): HTMLElement {
  const { el, doc } = dom;
  const inconclusive = r.conclusion === 'inconclusive';
  const card = el('section', inconclusive ? 'report-card inconclusive' : 'report-card');
  card.append(renderHead(dom, r), renderVerificationSummary(dom, r));
  const note = resubmittedNote(r);
  if (note) {
    const p = el('p', 'resubmitted muted');
    p.append(decorativeIcon(dom, 'history'), el('span', undefined, ` ${note}`));
    card.append(p);
  }
  card.append(el('p', 'summary', r.summary));
  const section = (title: string, icon: string) => {
    const h = el('h3');
    h.append(decorativeIcon(dom, icon), el('span', undefined, ` ${title}`));
    card.append(h);
  };
  section(inconclusive ? 'Leading candidate' : 'Suspected root cause', 'search');
  card.append(el('p', undefined, r.suspected_root_cause));
  if (r.affected_services.length) card.append(el('p', 'muted', `Affected: ${r.affected_services.join(', ')}`));
  if (inconclusive) {
    section('Inconclusive: what was checked, what is missing', 'question');
    card.append(labelledList(dom, 'Checked', 'checked', r.checked), labelledList(dom, 'Missing', 'missing', r.missing));
  }
  // Built first so that hypotheses and the timeline can point at them; shown after the hypotheses.
  const items = r.evidence.map((e, i) => renderEvidenceItem(dom, e, i + 1, post));
  if (r.hypotheses.length) {
    section('Hypotheses', 'lightbulb');
    const list = el('ul', 'hypotheses');
    for (const h of r.hypotheses) {
      const item = el('li', `hypothesis ${h.status}`);
      const status = el('span', `hypothesis-status ${h.status}`);
      status.append(decorativeIcon(dom, HYPOTHESIS_ICON[h.status]), el('span', undefined, ` ${h.status}`));
      item.append(status, el('span', 'statement', ` ${h.statement}`));
      if (h.evidence.length) item.append(el('span', 'muted', ' · evidence '), evidenceRefButtons(dom, h.evidence, items));
      list.append(item);
    }
    card.append(list);
  }
  if (items.length) {
    section('Evidence', 'references');
    const list = el('ul', 'evidence');
    list.append(...items);
    card.append(list);
  }
  if (r.timeline.length) {
    section('Timeline', 'history');
    const list = el('ol', 'timeline');
    for (const t of r.timeline) {
      const disagreement = timelineCheckText(t);
      const item = el('li', disagreement ? 'disagrees' : undefined);
      item.append(el('span', 'time muted', t.time), el('span', undefined, ` ${t.event}`));
      if (t.evidence !== undefined) item.append(el('span', 'muted', ' · '), evidenceRefButtons(dom, [t.evidence], items));
      if (disagreement) {
        const flag = el('span', 'timeline-check');
        flag.append(decorativeIcon(dom, 'warning'), el('span', undefined, ` ${disagreement}`));
        item.append(' ', flag);
      }
      list.append(item);
    }
    card.append(list);
  }
  section(inconclusive ? 'What to look at next' : 'Next steps', 'checklist');
  const steps = el('ol', 'next-steps');
  for (const s of r.next_steps) steps.append(el('li', undefined, s));
  card.append(steps);
  const exportButton = doc.createElement('vscode-button');
  exportButton.setAttribute('secondary', '');
  exportButton.textContent = 'Export as Markdown';
  exportButton.addEventListener('click', () => post({ type: 'exportReport' }));
  card.append(exportButton);
  return card;
}

/** Severity, an Inconclusive badge when it is, the title, and the confidence with the reason it was capped. */
function renderHead(dom: Dom, r: VerifiedReport): HTMLElement {
  const { el } = dom;
  const head = el('div', 'report-head');
  head.append(el('span', `severity ${r.severity.toLowerCase()}`, r.severity));
  if (r.conclusion === 'inconclusive') {
    const badge = el('span', 'conclusion-badge');
    badge.append(decorativeIcon(dom, 'question'), el('span', undefined, ' Inconclusive'));
    head.append(badge);
  }
  const { shown, cap } = confidenceText(r);
  const confidence = el('span', 'confidence muted', shown);
  if (cap) {
    const capped = el('span', 'confidence-cap');
    capped.append(' —', decorativeIcon(dom, 'warning'), ` ${cap}`);
    confidence.append(capped);
  }
  head.append(el('h2', undefined, r.title), confidence);
  return head;
}

/** "6 of 8 evidence items verified · 1 moved · 1 unverified", each part in its tone. */
function renderVerificationSummary(dom: Dom, r: VerifiedReport): HTMLElement {
  const parts = verificationSummary(r);
  const trusted = parts.every((p) => p.tone !== 'warning');
  const line = dom.el('div', `verification-summary${trusted ? '' : ' has-warning'}`);
  line.append(decorativeIcon(dom, trusted ? 'verified' : 'unverified'), ' ');
  parts.forEach((part, i) => {
    if (i > 0) line.append(SUMMARY_SEPARATOR);
    line.append(dom.el('span', `tone-${part.tone}`, part.text));
  });
  return line;
}

/** "Checked" or "Missing" with its items, or a plain "not stated" when the model left it out. */
function labelledList(dom: Dom, title: string, className: string, entries: readonly string[] | undefined): HTMLElement {
  const { el } = dom;
  const block = el('div', `inconclusive-list ${className}`);
  block.append(el('h4', undefined, title));
  if (!entries?.length) {
    block.append(el('p', 'muted', 'not stated in the report'));
    return block;
  }
  const list = el('ul');
  for (const entry of entries) list.append(el('li', undefined, entry));
  block.append(list);
  return block;
}

import type { VerifiedEvidence } from '../../shared/report';
import { evidenceLabel, evidenceRef, evidenceTarget, verificationText } from '../../shared/reportText';
import type { PanelToHost } from '../protocol';
import type { Dom } from './dom';

const VERIFICATION_ICON = { verified: 'pass', moved: 'go-to-file', unverified: 'warning' } as const;

/** A codicon that screen readers skip: the words beside it say the same thing. */
export function decorativeIcon({ codicon }: Dom, name: string): HTMLElement {
  const icon = codicon(name);
  icon.setAttribute('aria-hidden', 'true');
  return icon;
}

/** A control styled as a link: a real button, so Tab, Enter and Space reach it without key handlers of ours. */
export function linkButton({ el }: Dom, className: string, text: string, onActivate: () => void): HTMLButtonElement {
  const button = el('button', `link-button ${className}`, text);
  button.type = 'button';
  button.addEventListener('click', onActivate);
  return button;
}

/**
 * One evidence item: its number, what it cites, its check, the excerpt and why it matters. The
 * citation is a link only when there is a real line to open — the cited one, or where the text
 * moved to; an unverified citation stays plain text, because it points where the text is not.
 */
export function renderEvidenceItem(dom: Dom, e: VerifiedEvidence, position: number, post: (message: PanelToHost) => void): HTMLLIElement {
  const { el } = dom;
  const status = e.verification.status;
  const item = el('li', `evidence-item ${status}`);
  item.dataset.evidence = String(position);
  // Focusable from the #n references only (see evidenceRefButtons), not a stop in the Tab order.
  item.tabIndex = -1;
  const line = el('div', 'evidence-head');
  const target = evidenceTarget(e);
  const label = evidenceLabel(e);
  const citation = target ? linkButton(dom, 'evidence-link', label, () => post({ type: 'openEvidence', file: target.file, line: target.line })) : el('span', 'evidence-location', label);
  if (target) citation.title = `Open ${target.file} at line ${target.line}`;
  const check = el('span', `verification ${status}`);
  check.append(decorativeIcon(dom, VERIFICATION_ICON[status]), el('span', undefined, ` ${verificationText(e)}`));
  line.append(el('span', 'evidence-number', evidenceRef(position)), citation, check);
  item.append(line);
  if (e.kind === 'log' || e.kind === 'file') item.append(el('code', 'excerpt', e.excerpt));
  item.append(el('div', 'why', e.why));
  return item;
}

/**
 * "#1, #3" for a hypothesis or a timeline entry: each moves focus (and so the view) to the item it
 * names. A position with no item — the panel does not re-check the model's references — stays text.
 */
export function evidenceRefButtons(dom: Dom, positions: readonly number[], items: readonly HTMLElement[]): HTMLElement {
  const refs = dom.el('span', 'evidence-refs');
  positions.forEach((position, i) => {
    if (i > 0) refs.append(', ');
    const item = items[position - 1];
    if (!item) {
      refs.append(evidenceRef(position));
      return;
    }
    const ref = linkButton(dom, 'evidence-ref', evidenceRef(position), () => item.focus());
    ref.setAttribute('aria-label', `evidence ${evidenceRef(position)}`);
    refs.append(ref);
  });
  return refs;
}

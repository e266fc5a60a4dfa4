import type { TriageReport } from '../../shared/report';
import type { PanelToHost } from '../protocol';
import type { Dom } from './dom';

/** The report card: every field as text; evidence links ask the host to open the cited line. */
export function renderReport({ el, codicon, doc }: Dom, r: TriageReport, post: (message: PanelToHost) => void): HTMLElement {
  const card = el('section', 'report-card');
  const head = el('div', 'report-head');
  head.append(el('span', `severity ${r.severity.toLowerCase()}`, r.severity), el('h2', undefined, r.title), el('span', 'confidence muted', `confidence ${Math.round(r.confidence * 100)}%`));
  card.append(head, el('p', 'summary', r.summary));
  const section = (title: string, icon: string) => {
    const h = el('h3');
    h.append(codicon(icon), el('span', undefined, ` ${title}`));
    card.append(h);
  };
  section('Suspected root cause', 'search');
  card.append(el('p', undefined, r.suspected_root_cause));
  if (r.affected_services.length) card.append(el('p', 'muted', `Affected: ${r.affected_services.join(', ')}`));
  if (r.evidence.length) {
    section('Evidence', 'references');
    const list = el('ul', 'evidence');
    for (const ev of r.evidence) {
      const item = el('li');
      const link = el('a', 'evidence-link', `${ev.file}:${ev.line}`);
      link.setAttribute('role', 'button');
      link.tabIndex = 0;
      const open = () => post({ type: 'openEvidence', file: ev.file, line: ev.line });
      link.addEventListener('click', open);
      link.addEventListener('keydown', (k) => k.key === 'Enter' && open());
      item.append(link, el('code', 'excerpt', ev.excerpt), el('div', 'why', ev.why));
      list.append(item);
    }
    card.append(list);
  }
  if (r.timeline.length) {
    section('Timeline', 'history');
    const list = el('ol', 'timeline');
    for (const t of r.timeline) {
      const item = el('li');
      item.append(el('span', 'time muted', t.time), el('span', undefined, ` ${t.event}`));
      list.append(item);
    }
    card.append(list);
  }
  section('Next steps', 'checklist');
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

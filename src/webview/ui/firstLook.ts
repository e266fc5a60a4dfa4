import type { FirstLook, FirstLookDeploy, FirstLookTemplate } from '../../shared/firstLook';
import { deployLabel, firstLookClock } from '../../shared/firstLookText';
import type { PanelToHost } from '../protocol';
import type { Dom } from './dom';
import { decorativeIcon, linkButton } from './reportEvidence';

const LEVEL_ICON: Record<string, string> = { fatal: 'error', error: 'error', warn: 'warning' };

/**
 * The engine's first look, shown before the model's first token: the suspected start, the first
 * error burst, the nearest deploy, what is new, surging or gone quiet, and the files' spans. Every
 * text in it came from a log and goes in as textContent (dom.ts), never as markup; a file:line is a
 * button that asks the host to open it (the host confines the path).
 */
export function renderFirstLook(dom: Dom, look: FirstLook, post: (message: PanelToHost) => void): HTMLElement {
  const { el } = dom;
  const { time, day } = firstLookClock(look);
  const card = el('section', 'first-look');
  card.setAttribute('aria-label', 'First look at the logs');

  const title = el('div', 'first-look-title');
  const scope = look.logFile ?? `${look.filesTotal} log file${look.filesTotal === 1 ? '' : 's'}`;
  title.append(
    decorativeIcon(dom, 'telescope'),
    el('span', undefined, ' First look'),
    el('span', 'muted', ` · ${scope} · ${(look.durationMs / 1000).toFixed(1)} s, no model call${day ? ` · times UTC on ${day}` : ' · times UTC'}`),
  );
  card.append(title);

  if (look.start) {
    const from = look.start.from === 'description' ? `from the description ("${look.start.quote ?? ''}")` : 'the first error burst';
    card.append(fact(dom, 'debug-start', [el('span', undefined, 'Suspected start '), el('span', 'first-look-time', time(look.start.time)), el('span', 'muted', `, ${from}`)]));
  }
  if (look.timeNote) card.append(el('div', 'first-look-note muted', look.timeNote));
  const b = look.burst;
  if (b) {
    card.append(
      fact(dom, 'flame', [
        el('span', undefined, `First error burst: ${b.count} error lines within ${b.windowSeconds} s from `),
        el('span', 'first-look-time', time(b.time)),
        el('span', undefined, ' at '),
        location(dom, b.file, b.line, post),
      ]),
    );
  }
  if (look.precedingChange) card.append(fact(dom, 'git-commit', [el('span', undefined, 'Nearest deploy or commit before the start: '), deploy(dom, look.precedingChange)]));

  const c = look.changes;
  if (look.windows && c) {
    card.append(section(dom, 'New templates (not in the baseline)', c.new, c.totals.new, (t) => templateItem(dom, t, time, post, 'new')));
    card.append(section(dom, 'Surging', c.surging, c.totals.surging, (t) => templateItem(dom, t, time, post, 'surging')));
    card.append(section(dom, 'Gone quiet', c.quiet, c.totals.quiet, (t) => templateItem(dom, t, time, post, 'quiet')));
    const w = look.windows;
    card.append(el('div', 'first-look-note muted', `Compared ${time(w.incident.start)} → ${time(w.incident.end)} with the baseline ${time(w.baseline.start)} → ${time(w.baseline.end)}.`));
  }

  if (look.files.length) {
    const files = el('details', 'first-look-files');
    const more = look.filesTotal > look.files.length ? ` (${look.files.length} of ${look.filesTotal} shown)` : '';
    files.append(el('summary', undefined, `Log files and their time spans${more}`));
    const list = el('ul');
    for (const f of look.files) {
      const span = f.first ? `${time(f.first)} → ${f.last ? time(f.last) : '?'}` : 'no timestamps found';
      const item = el('li');
      item.append(
        el('span', 'first-look-path', f.path),
        el('span', 'muted', ` ${span}${f.lines !== undefined ? ` · ${f.lines.toLocaleString('en-US')} lines` : ''}${f.format === 'plain' ? '' : ` · ${f.format}`}`),
      );
      list.append(item);
    }
    files.append(list);
    card.append(files);
  }
  if (look.partial) {
    const notice = el('div', 'notice');
    notice.append(decorativeIcon(dom, 'watch'), el('span', undefined, ` ${look.partial}`));
    card.append(notice);
  }
  for (const note of look.notes) card.append(el('div', 'first-look-note muted', note));
  if (look.redactions) card.append(el('div', 'first-look-note muted', `${look.redactions} secret${look.redactions === 1 ? '' : 's'} redacted.`));
  return card;
}

function fact(dom: Dom, icon: string, parts: Node[]): HTMLElement {
  const line = dom.el('div', 'first-look-fact');
  line.append(decorativeIcon(dom, icon), ' ', ...parts);
  return line;
}

function location(dom: Dom, file: string, line: number, post: (message: PanelToHost) => void): HTMLElement {
  const button = linkButton(dom, 'first-look-link', `${file}:${line}`, () => post({ type: 'openEvidence', file, line }));
  button.title = `Open ${file} at line ${line}`;
  return button;
}

function deploy(dom: Dom, d: FirstLookDeploy): HTMLElement {
  const span = dom.el('span');
  span.append(dom.el('strong', undefined, deployLabel(d)), dom.el('span', undefined, ` at ${d.time}: ${d.subject || '(no description)'}`), dom.el('span', 'muted', ` [${d.source}]`));
  return span;
}

function section(dom: Dom, title: string, items: readonly FirstLookTemplate[], total: number, item: (t: FirstLookTemplate) => HTMLElement): HTMLElement {
  const { el } = dom;
  const block = el('div', 'first-look-section');
  const shown = total > items.length ? `${items.length} of ${total}` : `${total}`;
  block.append(el('div', 'first-look-heading', total === 0 ? `${title}: none` : `${title} · ${shown}`));
  if (items.length) {
    const list = el('ul', 'first-look-list');
    list.append(...items.map(item));
    block.append(list);
  }
  return block;
}

function templateItem(dom: Dom, t: FirstLookTemplate, time: (iso: string) => string, post: (message: PanelToHost) => void, kind: 'new' | 'surging' | 'quiet'): HTMLLIElement {
  const { el } = dom;
  const li = el('li', `first-look-item${t.level ? ` level-${t.level}` : ''}`);
  const head = el('div', 'first-look-item-head');
  const icon = t.level ? LEVEL_ICON[t.level] : undefined;
  if (icon) head.append(decorativeIcon(dom, icon), ' ');
  const at = kind === 'quiet' && t.last ? t.last : t.first;
  head.append(el('span', 'first-look-time', kind === 'quiet' ? `last ${time(at.time)}` : time(at.time)), ' ', location(dom, at.file, at.line, post), ' ');
  const counts =
    kind === 'new'
      ? `${t.incidentCount}×`
      : kind === 'surging'
        ? `${t.incidentCount}× vs ${t.baselineCount}× before${t.rateRatio !== undefined ? ` (${t.rateRatio.toFixed(1)}× the rate)` : ''}`
        : `${t.baselineCount}× in the baseline, none since`;
  head.append(el('span', 'first-look-count', `${t.level ? `${t.level} · ` : ''}${counts}`));
  li.append(head);
  // A template seen once is shown as its line, which says more than the template.
  li.append(el('code', 'excerpt', kind === 'new' && t.incidentCount === 1 ? t.first.sample : t.template));
  return li;
}

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import type { TriageEvent } from '../../shared/events';
import { formatUsd } from '../../shared/formatUsd';
import type { TriageReport } from '../../shared/report';
import { readHostToPanel, type PanelToHost } from '../protocol';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();
const post = (message: PanelToHost) => vscode.postMessage(message);

// Model and log text is untrusted: no raw HTML in, and nothing clickable or loadable out.
const md = new MarkdownIt({ html: false, linkify: false, breaks: true });
const sanitize = (html: string) => DOMPurify.sanitize(html, { FORBID_TAGS: ['img', 'style', 'iframe', 'form', 'input'], FORBID_ATTR: ['href', 'src', 'style', 'srcset', 'action'] });

const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};
const codicon = (name: string) => el('span', `codicon codicon-${name}`);

class Transcript {
  private readonly root = $<HTMLElement>('#transcript');
  private step: HTMLElement | undefined;
  private text: { node: HTMLElement; source: string } | undefined;
  private thinking: { node: HTMLElement; body: HTMLElement } | undefined;
  private readonly cards = new Map<string, { card: HTMLDetailsElement; status: HTMLElement; args: HTMLElement; json: string }>();
  private readonly dirtyText = new Set<{ node: HTMLElement; source: string }>();

  reset(): void {
    this.root.replaceChildren();
    this.cards.clear();
    this.step = this.text = this.thinking = undefined;
  }

  apply(e: TriageEvent): void {
    switch (e.type) {
      case 'run_started': {
        const header = el('div', 'run-header');
        header.append(codicon('pulse'), el('span', 'run-description', e.description), el('span', 'muted', ` · ${e.model}${e.logFile ? ` · from ${e.logFile}` : ''}`));
        this.root.append(header);
        break;
      }
      case 'step_started':
        // A retried step replaces the attempt that failed mid-stream: keep it visible, struck out.
        if (e.attempt) this.step?.classList.add('discarded');
        this.step = el('section', 'step');
        this.step.append(el('div', 'step-title', `Step ${e.step}${e.attempt ? ` · attempt ${e.attempt}` : ''}${e.forcedReport ? ' · report requested' : ''}`));
        this.root.append(this.step);
        this.text = this.thinking = undefined;
        break;
      case 'thinking_delta': {
        if (!this.thinking) {
          const details = el('details', 'thinking');
          const summary = el('summary');
          summary.append(codicon('lightbulb'), el('span', undefined, ' Reasoning'));
          const body = el('div', 'thinking-body');
          details.append(summary, body);
          this.container().append(details);
          this.thinking = { node: details, body };
          this.text = undefined;
        }
        this.thinking.body.textContent += e.text;
        break;
      }
      case 'text_delta':
        if (!this.text) {
          this.text = { node: el('div', 'markdown'), source: '' };
          this.container().append(this.text.node);
          this.thinking = undefined;
        }
        this.text.source += e.text;
        this.dirtyText.add(this.text);
        break;
      case 'tool_call_started': {
        const card = el('details', 'tool-card running');
        const summary = el('summary');
        const status = el('span', 'tool-status');
        status.append(codicon('loading'));
        status.querySelector('.codicon')!.classList.add('codicon-modifier-spin');
        summary.append(status, el('span', 'tool-name', e.name), el('span', 'tool-duration muted'));
        const args = el('pre', 'tool-args');
        card.append(summary, args);
        this.container().append(card);
        this.cards.set(e.id, { card, status, args, json: '' });
        this.text = this.thinking = undefined;
        break;
      }
      case 'tool_input_delta': {
        const c = this.cards.get(e.id);
        if (c) c.args.textContent = c.json += e.partialJson;
        break;
      }
      case 'tool_call_ready': {
        const c = this.cards.get(e.id);
        if (c) c.args.textContent = JSON.stringify(e.input, null, 2);
        break;
      }
      case 'tool_result': {
        const c = this.cards.get(e.id) ?? this.orphanCard(e.id, e.name);
        c.card.classList.remove('running');
        c.card.classList.add(e.ok ? 'ok' : 'failed');
        c.status.replaceChildren(codicon(e.ok ? 'pass' : 'error'));
        c.card.querySelector('.tool-duration')!.textContent = ` ${e.durationMs} ms${e.redactions ? ` · ${e.redactions} secrets redacted` : ''}${e.truncationNote ? ' · cut to budget' : ''}`;
        const result = el('pre', e.ok ? 'tool-result' : 'tool-result error', e.preview);
        c.card.append(result);
        if (!e.ok) c.card.open = true;
        break;
      }
      case 'usage': {
        const u = e.usage;
        const row = el('div', 'usage-row muted');
        row.append(codicon('graph'), el('span', undefined, ` ${u.inputTokens.toLocaleString()} in · ${u.cacheCreationInputTokens.toLocaleString()} cache write · ${u.cacheReadInputTokens.toLocaleString()} cache read · ${u.outputTokens.toLocaleString()} out · ${formatUsd(e.costUsd)} · first token ${e.timeToFirstTokenMs ?? '—'} ms · ${e.totalMs} ms`));
        this.container().append(row);
        break;
      }
      case 'report':
        this.root.append(renderReport(e.report));
        break;
      case 'retrying':
      case 'model_fallback': {
        const notice = el('div', 'notice');
        notice.append(codicon(e.type === 'retrying' ? 'sync' : 'arrow-swap'), el('span', undefined, e.type === 'retrying' ? ` ${e.reason} Retrying in ` : ` ${e.reason}: continuing with ${e.to}.`));
        if (e.type === 'retrying') notice.append(countdown(e.delayMs));
        this.container().append(notice);
        break;
      }
      case 'error': {
        const box = el('div', 'error-box');
        box.append(codicon('warning'), el('span', undefined, ` ${e.message}`));
        this.root.append(box);
        break;
      }
      case 'run_finished': {
        const end = el('div', `run-end reason-${e.reason}`);
        end.append(codicon(e.reason === 'report' ? 'check' : e.reason === 'cancelled' ? 'circle-slash' : 'info'), el('span', undefined, ` ${e.message} · ${e.steps} step${e.steps === 1 ? '' : 's'} · ${(e.durationMs / 1000).toFixed(1)} s · ${formatUsd(e.costUsd)}`));
        this.root.append(end);
        break;
      }
    }
  }

  /** Markdown is re-rendered once per frame per changed block, not per token. */
  flushText(): void {
    for (const block of this.dirtyText) block.node.innerHTML = sanitize(md.render(block.source));
    this.dirtyText.clear();
  }

  private container(): HTMLElement {
    return this.step ?? this.root;
  }

  private orphanCard(id: string, name: string) {
    this.apply({ type: 'tool_call_started', step: 0, id, name });
    return this.cards.get(id)!;
  }
}

/** Seconds left before a retry, counting down. */
function countdown(ms: number): HTMLElement {
  const span = el('span', 'countdown');
  const end = Date.now() + ms;
  const tick = () => {
    const left = Math.max(0, end - Date.now());
    span.textContent = `${(left / 1000).toFixed(0)} s`;
    if (left > 0) setTimeout(tick, 250);
  };
  tick();
  return span;
}

function renderReport(r: TriageReport): HTMLElement {
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
  const exportButton = document.createElement('vscode-button');
  exportButton.setAttribute('secondary', '');
  exportButton.textContent = 'Export as Markdown';
  exportButton.addEventListener('click', () => post({ type: 'exportReport' }));
  card.append(exportButton);
  return card;
}

const transcript = new Transcript();
const queue: TriageEvent[] = [];
let scheduled = false;
let busy = false;
let started = false;
let readOnly = false;

/** Follow the stream unless the user scrolled up to read something. */
let following = true;
window.addEventListener('scroll', () => {
  following = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
});

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    for (const e of queue.splice(0)) {
      if (e.type === 'run_started') started = true;
      transcript.apply(e);
    }
    transcript.flushText();
    updateControls();
    if (following) window.scrollTo({ top: document.body.scrollHeight });
  });
}

function updateControls(): void {
  $('#start-form').hidden = started || readOnly;
  $('#follow-up-form').hidden = !started || busy || readOnly;
  $('#cancel').hidden = !busy;
  $('#status').textContent = busy ? 'Investigating…' : started ? 'Done' : '';
}

function submit(textarea: string, make: (text: string) => PanelToHost): void {
  const input = $<HTMLTextAreaElement>(textarea);
  const text = input.value.trim();
  if (!text || busy) return;
  post(make(text));
  input.value = '';
}

$('#start').addEventListener('click', () => submit('#description', (description) => ({ type: 'start', description })));
$('#ask').addEventListener('click', () => submit('#question', (question) => ({ type: 'followUp', question })));
$('#cancel').addEventListener('click', () => post({ type: 'cancel' }));
for (const id of ['#description', '#question']) {
  $(id).addEventListener('keydown', (k: KeyboardEvent) => {
    if (k.key === 'Enter' && (k.ctrlKey || k.metaKey)) $<HTMLElement>(id === '#description' ? '#start' : '#ask').click();
  });
}

window.addEventListener('message', (event: MessageEvent) => {
  const read = readHostToPanel(event.data);
  if (!read) return; // not ours, or a malformed envelope: dropped
  const { message, rejected } = read;
  // One event the panel cannot read is left out, and said so here; the rest of the batch is shown.
  for (const r of rejected) console.warn(`Incident Triage: event ${r.index} (${r.type}) dropped: ${r.problem}`);
  if (message.type === 'init') {
    transcript.reset();
    queue.length = 0;
    started = false;
    busy = message.busy;
    readOnly = message.readOnly;
    if (message.logFile) $('#scope').textContent = `Starting from ${message.logFile}`;
    queue.push(...message.events);
  } else if (message.type === 'events') {
    queue.push(...message.events);
  } else {
    busy = message.busy;
  }
  schedule();
});

post({ type: 'ready' });

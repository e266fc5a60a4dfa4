import type { TriageEvent } from '../../shared/events';
import { formatUsd } from '../../shared/formatUsd';
import type { PanelToHost } from '../protocol';
import { domFor, type Dom } from './dom';
import { renderFirstLook } from './firstLook';
import { markdownRenderer } from './markdown';
import { renderReport } from './report';

export interface TranscriptOptions {
  /** Where the report's buttons send their requests. */
  readonly post: (message: PanelToHost) => void;
  /** A figure for a tool result's `data`, or undefined when there is nothing (valid) to draw. */
  readonly chart?: (data: unknown) => HTMLElement | undefined;
}

interface ToolCard {
  card: HTMLDetailsElement;
  status: HTMLElement;
  args: HTMLElement;
  json: string;
}

/**
 * The run as the panel shows it, built event by event: steps, streamed reasoning and text, tool
 * cards, notices, usage rows, the report. It owns the nodes under `root` and nothing else.
 */
export class Transcript {
  private readonly dom: Dom;
  private readonly render: (source: string) => string;
  private step: HTMLElement | undefined;
  private text: { node: HTMLElement; source: string } | undefined;
  private thinking: { node: HTMLElement; body: HTMLElement } | undefined;
  private readonly cards = new Map<string, ToolCard>();
  private readonly dirtyText = new Set<{ node: HTMLElement; source: string }>();

  constructor(
    private readonly root: HTMLElement,
    private readonly options: TranscriptOptions,
  ) {
    this.dom = domFor(root.ownerDocument);
    this.render = markdownRenderer(root.ownerDocument.defaultView!);
  }

  reset(): void {
    this.root.replaceChildren();
    this.cards.clear();
    this.dirtyText.clear();
    this.step = this.text = this.thinking = undefined;
  }

  apply(e: TriageEvent): void {
    const { el, codicon } = this.dom;
    switch (e.type) {
      case 'run_started': {
        const header = el('div', 'run-header');
        header.append(codicon('pulse'), el('span', 'run-description', e.description), el('span', 'muted', ` · ${e.model}${e.logFile ? ` · from ${e.logFile}` : ''}`));
        this.root.append(header);
        break;
      }
      case 'first_look':
        // Above the first step, as soon as it comes: what the engine found before the model was asked.
        this.root.append(renderFirstLook(this.dom, e.firstLook, this.options.post));
        break;
      case 'step_started':
        // A retried step replaces the attempt that failed mid-stream: keep it visible, struck out.
        if ((e.attempt ?? 1) > 1 && this.step) this.discard(this.step);
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
      case 'tool_call_started':
        this.openCard(e.id, e.name);
        break;
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
        const c = this.cards.get(e.id) ?? this.openCard(e.id, e.name);
        c.card.classList.remove('running');
        c.card.classList.add(e.ok ? 'ok' : 'failed');
        c.status.replaceChildren(codicon(e.ok ? 'pass' : 'error'));
        c.card.querySelector('.tool-duration')!.textContent = ` ${e.durationMs} ms${e.redactions ? ` · ${e.redactions} secrets redacted` : ''}${e.truncationNote ? ' · cut to budget' : ''}`;
        const chart = e.ok && e.data !== undefined ? this.options.chart?.(e.data) : undefined;
        // A chart is what this call is for: show it, above the arguments, without a click.
        if (chart) c.card.insertBefore(chart, c.args);
        c.card.append(el('pre', e.ok ? 'tool-result' : 'tool-result error', e.preview));
        if (!e.ok || chart) c.card.open = true;
        break;
      }
      case 'usage': {
        const u = e.usage;
        const row = el('div', 'usage-row muted');
        row.append(
          codicon('graph'),
          el(
            'span',
            undefined,
            ` ${u.inputTokens.toLocaleString()} in · ${u.cacheCreationInputTokens.toLocaleString()} cache write · ${u.cacheReadInputTokens.toLocaleString()} cache read · ${u.outputTokens.toLocaleString()} out · ${formatUsd(e.costUsd)} · first token ${e.timeToFirstTokenMs ?? '—'} ms · ${e.totalMs} ms`,
          ),
        );
        this.container().append(row);
        break;
      }
      case 'report':
        this.root.append(renderReport(this.dom, e.report, this.options.post));
        break;
      case 'retrying': {
        const notice = el('div', 'notice');
        notice.append(codicon('sync'), el('span', undefined, ` ${e.reason} Retrying in `), this.countdown(e.delayMs));
        this.container().append(notice);
        break;
      }
      case 'model_fallback': {
        const notice = el('div', 'notice');
        notice.append(codicon('arrow-swap'), el('span', undefined, ` ${e.reason}: continuing with ${e.to}.`));
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
        end.append(
          codicon(e.reason === 'report' ? 'check' : e.reason === 'cancelled' ? 'circle-slash' : 'info'),
          el('span', undefined, ` ${e.message} · ${e.steps} step${e.steps === 1 ? '' : 's'} · ${(e.durationMs / 1000).toFixed(1)} s · ${formatUsd(e.costUsd)}`),
        );
        this.root.append(end);
        break;
      }
    }
  }

  /** Markdown is re-rendered once per frame per changed block, not per token. */
  flushText(): void {
    for (const block of this.dirtyText) block.node.innerHTML = this.render(block.source);
    this.dirtyText.clear();
  }

  private container(): HTMLElement {
    return this.step ?? this.root;
  }

  private openCard(id: string, name: string): ToolCard {
    const { el, codicon } = this.dom;
    const card = el('details', 'tool-card running');
    const summary = el('summary');
    const status = el('span', 'tool-status');
    const spinner = codicon('loading');
    spinner.classList.add('codicon-modifier-spin');
    status.append(spinner);
    summary.append(status, el('span', 'tool-name', name), el('span', 'tool-duration muted'));
    const args = el('pre', 'tool-args');
    card.append(summary, args);
    this.container().append(card);
    const entry = { card, status, args, json: '' };
    this.cards.set(id, entry);
    this.text = this.thinking = undefined;
    return entry;
  }

  /** The failed attempt of a retried step: struck out, and its unfinished tool calls stop spinning (they will not finish). */
  private discard(step: HTMLElement): void {
    step.classList.add('discarded');
    for (const card of step.querySelectorAll('.tool-card.running')) {
      card.classList.replace('running', 'abandoned');
      card.querySelector('.tool-status')?.replaceChildren(this.dom.codicon('circle-slash'));
    }
  }

  /** Seconds left before a retry, counting down. */
  private countdown(ms: number): HTMLElement {
    const span = this.dom.el('span', 'countdown');
    const end = Date.now() + ms;
    const tick = () => {
      const left = Math.max(0, end - Date.now());
      span.textContent = `${(left / 1000).toFixed(0)} s`;
      if (left > 0) setTimeout(tick, 250);
    };
    tick();
    return span;
  }
}

import type { TriageEvent } from '../shared/events';
import { describeSavings, formatUsd } from '../cost/format';
import { firstLookLines } from '../agent/firstLook/firstLookLines';
import { reportLines } from './reportLines';
import { sanitizeForTerminal, type Style } from './terminal';

type Usage = Extract<TriageEvent, { type: 'usage' }>;
const PREVIEW_LINES = 4;
const FIRST_LOOK_LINE_CHARS = 160;

/** Renders the event stream for a person at a terminal: streamed text, tool cards, the report, a usage table. */
export class HumanRenderer {
  private streaming: 'text' | 'thinking' | undefined;
  private readonly usage: Usage[] = [];

  constructor(
    private readonly out: { write(s: string): unknown },
    private readonly style: Style,
  ) {}

  render(event: TriageEvent): void {
    const s = this.style;
    switch (event.type) {
      case 'run_started':
        this.line(s.bold(`Incident Triage · model ${event.model} · up to ${event.maxSteps} steps · thinking ${event.thinking}`));
        this.line(s.dim(`run ${event.runId}${event.logFile ? ` · starting from ${event.logFile}` : ''}`));
        break;
      case 'first_look':
        // Before the model's first token: what the engine found in the logs by itself, in about a second.
        this.line('');
        this.line(s.cyan(`── first look (${(event.firstLook.durationMs / 1000).toFixed(1)} s, no model) ──`));
        for (const l of firstLookLines(event.firstLook)) {
          // One terminal line each, like tool previews; the model gets them whole.
          const shown = this.clean(l.length > FIRST_LOOK_LINE_CHARS ? `${l.slice(0, FIRST_LOOK_LINE_CHARS - 1)}…` : l);
          this.line(/^(Note:|Stopped early)/.test(l) ? s.dim(shown) : shown);
        }
        break;
      case 'step_started':
        this.endStream();
        this.line('');
        this.line(s.cyan(`── step ${event.step}${event.attempt ? `, attempt ${event.attempt} (the output above is discarded)` : ''}${event.forcedReport ? ' (report requested)' : ''} ──`));
        break;
      case 'retrying':
        this.endStream();
        this.line(s.yellow(`↻ ${this.clean(event.reason)} Retrying step ${event.step} in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${event.attempt}).`));
        break;
      case 'model_fallback':
        this.endStream();
        this.line(s.yellow(`⇄ ${this.clean(event.reason)}: continuing with ${event.to}.`));
        break;
      case 'thinking_delta':
        this.stream('thinking', s.dim(this.clean(event.text)));
        break;
      case 'text_delta':
        this.stream('text', this.clean(event.text));
        break;
      case 'tool_call_ready':
        this.endStream();
        this.line(`${s.yellow('⚙')} ${s.bold(event.name)} ${s.dim(this.clean(JSON.stringify(event.input)).slice(0, 160))}`);
        break;
      case 'tool_result': {
        this.endStream();
        const mark = event.ok ? s.green('✓') : s.red('✗');
        this.line(`  ${mark} ${event.name} ${s.dim(`${event.durationMs} ms`)}${event.truncationNote ? s.dim(' · output cut to budget') : ''}`);
        const lines = this.clean(event.preview).split('\n');
        for (const l of lines.slice(0, PREVIEW_LINES)) this.line(`    ${event.ok ? s.dim(l.slice(0, 160)) : s.red(l.slice(0, 300))}`);
        if (lines.length > PREVIEW_LINES) this.line(s.dim(`    … ${lines.length - PREVIEW_LINES} more line${lines.length - PREVIEW_LINES === 1 ? '' : 's'}`));
        break;
      }
      case 'usage':
        this.usage.push(event);
        break;
      case 'report':
        this.endStream();
        for (const line of reportLines(event.report, s)) this.line(line);
        break;
      case 'error':
        this.endStream();
        this.line(s.red(`error: ${this.clean(event.message)}`));
        break;
      case 'run_finished':
        this.endStream();
        this.renderUsage();
        this.line('');
        this.line(
          `${event.reason === 'report' ? s.green('●') : event.reason === 'max_steps' ? s.yellow('●') : s.red('●')} ${this.clean(event.message)} ${s.dim(`(${event.reason}, ${event.steps} steps, ${(event.durationMs / 1000).toFixed(1)} s)`)}`,
        );
        break; // A call being written is shown once it is complete (tool_call_ready): partial JSON is noise in a terminal.
      case 'tool_call_started':
      case 'tool_input_delta':
        break;
    }
  }

  private renderUsage(): void {
    if (this.usage.length === 0) return;
    const s = this.style;
    const head = ['step', 'model', 'input', 'cache write', 'cache read', 'output', 'cost', 'TTFT', 'total'];
    const rows = this.usage.map((u) => [
      String(u.step),
      u.model,
      fmt(u.usage.inputTokens),
      fmt(u.usage.cacheCreationInputTokens),
      fmt(u.usage.cacheReadInputTokens),
      fmt(u.usage.outputTokens),
      formatUsd(u.costUsd ?? undefined),
      u.timeToFirstTokenMs === null ? '—' : `${u.timeToFirstTokenMs} ms`,
      `${u.totalMs} ms`,
    ]);
    const sum = (f: (u: Usage) => number) => fmt(this.usage.reduce((a, u) => a + f(u), 0));
    const known = this.usage.every((u) => u.costUsd !== null);
    const cost = known ? this.usage.reduce((a, u) => a + u.costUsd!, 0) : undefined;
    const saved = known ? this.usage.reduce((a, u) => a + (u.uncachedCostUsd ?? u.costUsd!) - u.costUsd!, 0) : undefined;
    rows.push([
      'all',
      '',
      sum((u) => u.usage.inputTokens),
      sum((u) => u.usage.cacheCreationInputTokens),
      sum((u) => u.usage.cacheReadInputTokens),
      sum((u) => u.usage.outputTokens),
      formatUsd(cost),
      '',
      `${this.usage.reduce((a, u) => a + u.totalMs, 0)} ms`,
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const fmtRow = (r: string[]) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
    const inputAll = this.usage.reduce((a, u) => a + u.usage.inputTokens + u.usage.cacheCreationInputTokens + u.usage.cacheReadInputTokens, 0);
    const read = this.usage.reduce((a, u) => a + u.usage.cacheReadInputTokens, 0);
    this.line('');
    this.line(s.bold(`Cost per API call (from the API's usage; cache hit rate ${inputAll ? Math.round((100 * read) / inputAll) : 0}%${saved !== undefined ? `; ${describeSavings(saved)}` : ''})`));
    this.line(s.dim(fmtRow(head)));
    rows.forEach((r, i) => this.line(i === rows.length - 1 ? s.bold(fmtRow(r)) : fmtRow(r)));
    const repriced = [...new Set(this.usage.filter((u) => u.pricedAs && u.pricedAs !== u.model).map((u) => `${u.model} at ${u.pricedAs}'s prices`))];
    if (repriced.length) this.line(s.dim(`Priced by genai-prices: ${repriced.join('; ')}. Override with --pricing if they differ.`));
    if (!known) this.line(s.yellow('Some calls used a model without a known price: their cost is shown as unknown, not $0. Add it with --pricing.'));
  }

  private stream(kind: 'text' | 'thinking', text: string): void {
    if (this.streaming !== kind) {
      this.endStream();
      if (kind === 'thinking') this.out.write(this.style.dim('(thinking) '));
      this.streaming = kind;
    }
    this.out.write(text);
  }

  private endStream(): void {
    if (this.streaming) this.out.write('\n');
    this.streaming = undefined;
  }

  private line(text: string): void {
    this.out.write(`${text}\n`);
  }

  private clean(text: string): string {
    return sanitizeForTerminal(text);
  }
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { CallRecord, CostSummary } from '../../shared/costRecord';
import { formatUsd } from '../../shared/formatUsd';
import { hostToCostView, type CostViewToHost } from '../costProtocol';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();
const post = (m: CostViewToHost) => vscode.postMessage(m);
const ms = (v: number | null) => (v === null ? '—' : `${v} ms`);

function totals(label: string, s: CostSummary): string {
  return `<div class="total"><b>${label}</b> ${formatUsd(s.costUsd)}${s.unpricedCalls ? ` +${s.unpricedCalls} unpriced` : ''} · ${s.calls} calls · ${Math.round(s.cacheHitRate * 100)}% cached · saved ${formatUsd(s.savedUsd)} · TTFT p50/p95 ${ms(s.ttftMs.p50)} / ${ms(s.ttftMs.p95)} · total p50/p95 ${ms(s.totalMs.p50)} / ${ms(s.totalMs.p95)}</div>`;
}

function chart(records: readonly CallRecord[]): void {
  const svg = document.getElementById('chart')!;
  let sum = 0;
  const points = records.map((r) => (sum += r.costUsd ?? 0));
  if (points.length < 2 || sum === 0) return svg.replaceChildren();
  const max = points.at(-1)!;
  const path = points.map((v, i) => `${(i / (points.length - 1)) * 300},${58 - (v / max) * 56}`).join(' ');
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', path);
  svg.replaceChildren(line);
}

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = hostToCostView.safeParse(event.data);
  if (!parsed.success) return;
  const { records, totals: t } = parsed.data;
  document.getElementById('totals')!.innerHTML = totals('Last run', t.run) + totals('Session', t.session) + totals('All time', t.all);
  chart(records);
  const body = document.querySelector('#calls tbody')!;
  body.replaceChildren(
    ...[...records].reverse().map((r) => {
      const row = document.createElement('tr');
      for (const cell of [
        r.time.slice(11, 19),
        r.model,
        r.inputTokens,
        r.cacheWrite5mTokens + r.cacheWrite1hTokens,
        r.cacheReadTokens,
        r.outputTokens,
        formatUsd(r.costUsd),
        ms(r.ttftMs),
        ms(r.totalMs),
      ]) {
        const td = document.createElement('td');
        td.textContent = typeof cell === 'number' ? cell.toLocaleString() : cell;
        row.append(td);
      }
      return row;
    }),
  );
});

document.getElementById('export')!.addEventListener('click', () => post({ type: 'exportCsv' }));
document.getElementById('reset')!.addEventListener('click', () => post({ type: 'reset' }));
post({ type: 'ready' });

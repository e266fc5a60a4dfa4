import * as vscode from 'vscode';
import { formatUsd } from '../cost/format';
import { Disposable } from './disposable';
import type { RunController } from './runController';
import { readSettings } from './settings';

/** `$(pulse) $0.042 · 87% cached`: what this session has cost; a warning background only past its budget. */
export class CostStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('incidentTriage.cost', vscode.StatusBarAlignment.Right, 100));

  constructor(private readonly controller: Pick<RunController, 'costs' | 'onDidChange'>) {
    super();
    this.item.name = 'Incident Triage Cost';
    this.item.command = 'incidentTriage.showCost';
    this.register(controller.onDidChange(() => this.update()));
    // The budget colour is read from the settings: a changed budget applies now, not at the next API call.
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('incidentTriage')) this.update();
      }),
    );
    this.update();
    this.item.show();
  }

  get text(): string {
    return this.item.text;
  }

  /** Whether the meter shows the session past its budget. */
  get overBudget(): boolean {
    return this.item.backgroundColor !== undefined;
  }

  private update(): void {
    const s = this.controller.costs.summary({ kind: 'session' });
    const cached = Math.round(s.cacheHitRate * 100);
    this.item.text = `$(pulse) ${formatUsd(s.costUsd)}${s.unpricedCalls ? '+?' : ''} · ${cached}% cached`;
    const budget = readSettings().sessionBudgetUsd;
    this.item.backgroundColor = budget !== undefined && s.costUsd > budget ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const tip = new vscode.MarkdownString(undefined, true);
    tip.appendMarkdown(`**Incident Triage — this session**\n\n`);
    tip.appendMarkdown(
      `| | |\n|---|---:|\n| API calls | ${s.calls} |\n| cost | ${formatUsd(s.costUsd)}${s.unpricedCalls ? ` (+${s.unpricedCalls} unpriced)` : ''} |\n| saved by caching | ${formatUsd(s.savedUsd)} |\n| input / cache write / cache read / output | ${s.inputTokens.toLocaleString()} / ${s.cacheWriteTokens.toLocaleString()} / ${s.cacheReadTokens.toLocaleString()} / ${s.outputTokens.toLocaleString()} |\n| time to first token p50 / p95 | ${s.ttftMs.p50 ?? '—'} / ${s.ttftMs.p95 ?? '—'} ms |\n`,
    );
    if (budget !== undefined) tip.appendMarkdown(`\nSession budget: ${formatUsd(budget)}\n`);
    tip.appendMarkdown('\nClick for the per-call breakdown.');
    this.item.tooltip = tip;
  }
}

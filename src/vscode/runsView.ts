import * as vscode from 'vscode';
import type { TriageEvent } from '../shared/events';
import { formatUsd } from '../cost/format';
import { listRunLogs, readRunLog } from '../ledger/eventLog';
import { Disposable } from './disposable';
import type { RunController } from './runController';

type Started = Extract<TriageEvent, { type: 'run_started' }>;
type Finished = Extract<TriageEvent, { type: 'run_finished' }>;
type Reported = Extract<TriageEvent, { type: 'report' }>;

/** The "Runs" view: past runs from the run ledger; selecting one reopens its transcript and report. */
export class RunsViewProvider extends Disposable implements vscode.TreeDataProvider<string> {
  static readonly id = 'incidentTriage.runs';
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly controller: RunController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(controller.onDidChange(() => this.changed.fire()));
  }

  getChildren(element?: string): string[] {
    return element ? [] : listRunLogs(this.controller.storageDir).slice(0, 100);
  }

  getTreeItem(file: string): vscode.TreeItem {
    const { events, skipped } = readRunLog(file);
    if (skipped) this.log.warn(`Run log ${file}: ${skipped} unreadable lines skipped.`);
    const started = events.find((e): e is Started => e.type === 'run_started');
    const finished = events.findLast((e): e is Finished => e.type === 'run_finished');
    const report = events.findLast((e): e is Reported => e.type === 'report')?.report;
    const item = new vscode.TreeItem(report?.title ?? started?.description.slice(0, 80) ?? 'Unreadable run');
    const when = started ? new Date(started.startedAt).toLocaleString() : '';
    item.description = [report?.severity, finished ? finished.reason : 'interrupted', finished ? formatUsd(finished.costUsd ?? undefined) : undefined, when].filter(Boolean).join(' · ');
    item.tooltip = started?.description;
    item.iconPath = new vscode.ThemeIcon(report ? 'report' : finished ? 'circle-slash' : 'debug-disconnect');
    item.command = { command: 'incidentTriage.openRun', title: 'Open run', arguments: [file] };
    return item;
  }
}

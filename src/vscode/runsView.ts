import { statSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TriageEvent } from '../shared/events';
import { formatUsd } from '../cost/format';
import { listRunLogs, readRunLog } from '../ledger/eventLog';
import { Disposable } from './disposable';
import type { RunController } from './runController';

type Started = Extract<TriageEvent, { type: 'run_started' }>;
type Finished = Extract<TriageEvent, { type: 'run_finished' }>;
type Reported = Extract<TriageEvent, { type: 'report' }>;

/** How many runs the view lists, newest first. */
const LIMIT = 100;

/** A run log's tree item, good while the file keeps this modification time and size. */
interface CachedItem {
  mtimeMs: number;
  size: number;
  item: vscode.TreeItem;
}

/** The "Runs" view: past runs from the run ledger; selecting one reopens its transcript and report. */
export class RunsViewProvider extends Disposable implements vscode.TreeDataProvider<string> {
  static readonly id = 'incidentTriage.runs';
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChangeTreeData = this.changed.event;
  /**
   * Run logs are read whole and parsed synchronously: a refresh re-reads only those whose time or
   * size changed (in practice the run that just finished). Size too, because two appends within
   * the file system's time resolution leave the modification time as it was.
   */
  private readonly items = new Map<string, CachedItem>();

  constructor(
    private readonly controller: Pick<RunController, 'storageDir' | 'onDidFinishRun'>,
    private readonly log: Pick<vscode.LogOutputChannel, 'warn'>,
  ) {
    super();
    // A run's row (title, reason, cost) is settled when it finishes; refreshing on every API call re-read the list mid-run for nothing.
    this.register(controller.onDidFinishRun(() => this.changed.fire()));
  }

  getChildren(element?: string): string[] {
    if (element) return [];
    const files = listRunLogs(this.controller.storageDir).slice(0, LIMIT);
    // Runs that dropped off the list (or were deleted) are forgotten.
    const listed = new Set(files);
    for (const file of this.items.keys()) if (!listed.has(file)) this.items.delete(file);
    return files;
  }

  getTreeItem(file: string): vscode.TreeItem {
    const { mtimeMs, size } = statSync(file);
    const cached = this.items.get(file);
    if (cached?.mtimeMs === mtimeMs && cached.size === size) return cached.item;
    const item = this.readItem(file);
    this.items.set(file, { mtimeMs, size, item });
    return item;
  }

  private readItem(file: string): vscode.TreeItem {
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

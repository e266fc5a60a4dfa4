import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { EventLog } from '../../../src/ledger/eventLog';
import type { TriageEvent } from '../../../src/shared/events';
import type { HostToCostView } from '../../../src/webview/costProtocol';
import { CostViewProvider } from '../../../src/vscode/costView';
import { RunsViewProvider } from '../../../src/vscode/runsView';
import { checkoutReport } from '../../fixtures/scenarios/checkoutIncident';
import { CountedEvent, FakeWebviewView } from './fakes';
import { api, extensionUri, hooks, newPanel, runToEnd, until, useFakeApi, type Event } from './harness';

describe('the Runs view, the Cost view and the status bar', () => {
  useFakeApi();

  it('Runs view: refreshes once when a run finishes, not after each API call, and lists the run first with its report', async () => {
    const { runsView, ledgerDir } = await hooks();
    const panel = await newPanel();
    let refreshes = 0;
    const counting = runsView.onDidChangeTreeData(() => refreshes++);
    try {
      const end = await runToEnd(panel);
      assert.equal(end.reason, 'report');
      assert.ok(panel.transcript.filter((e) => e.type === 'usage').length > 1, 'the run made several API calls');
      assert.equal(refreshes, 1);
    } finally {
      counting.dispose();
    }
    const runId = (panel.transcript[0] as Event<'run_started'>).runId;
    const [newest] = runsView.getChildren();
    assert.equal(newest, path.join(ledgerDir, 'runs', `${runId}.jsonl`));
    const item = runsView.getTreeItem(newest);
    assert.equal(item.label, checkoutReport.title);
    assert.match(String(item.description), /^SEV1 · report · \$0\.\d+ · /);
    assert.deepEqual(item.command?.arguments, [newest]);
  });

  describe('Runs view on a ledger of its own', () => {
    let dir: string;
    let views: RunsViewProvider;
    let warnings: string[];
    beforeEach(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'triage-runs-view-'));
      warnings = [];
      views = new RunsViewProvider({ storageDir: dir, onDidFinishRun: new CountedEvent<void>().event }, { warn: (message: string) => warnings.push(message) });
    });
    afterEach(() => {
      views.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    const started: TriageEvent = {
      type: 'run_started',
      runId: 'run-a',
      model: 'claude-sonnet-5-5',
      description: 'Checkout is failing',
      maxSteps: 12,
      thinking: 'off',
      startedAt: new Date().toISOString(),
    };
    const cancelled: TriageEvent = { type: 'run_finished', reason: 'cancelled', steps: 1, durationMs: 1000, message: 'Cancelled.', costUsd: 0.0123, tokens: 1000 };

    it('reads a run log once while it is unchanged, and again when it grows, even within the same modification time', () => {
      const ledger = new EventLog(dir, 'run-a');
      ledger.append(started);
      // A whole second, which every file system keeps exactly: the append below is dated the same.
      const sameTime = new Date('2026-01-01T00:00:00Z');
      utimesSync(ledger.path, sameTime, sameTime);
      const [file] = views.getChildren();
      assert.equal(file, ledger.path);
      const first = views.getTreeItem(file);
      assert.match(String(first.description), /^interrupted · /);
      assert.equal(views.getTreeItem(file), first, 'an unchanged log is not read again');
      ledger.append(cancelled);
      utimesSync(file, sameTime, sameTime);
      assert.equal(statSync(file).mtimeMs, sameTime.getTime());
      const second = views.getTreeItem(file);
      assert.notEqual(second, first, 'a log that grew is read again');
      assert.match(String(second.description), /^cancelled · \$0\.012 · /);
    });

    it("warns about a run log's unreadable lines once, not on every refresh", () => {
      const ledger = new EventLog(dir, 'run-b');
      ledger.append(started);
      appendFileSync(ledger.path, '{"type":"text_delta","step":1,"te\n');
      for (let i = 0; i < 3; i++) for (const file of views.getChildren()) views.getTreeItem(file);
      assert.equal(warnings.length, 1, warnings.join('\n'));
      assert.match(warnings[0]!, /1 unreadable lines skipped/);
    });
  });

  it("Cost view: the webview gets the session's calls when ready and after each API call, an empty ledger after a reset, and nothing once disposed", async () => {
    const triage = await api();
    const { controller } = await hooks();
    // A provider of the test's own on the extension's controller: the real view's webview is out of the host's reach.
    const view = new CostViewProvider(extensionUri(), controller);
    const webview = new FakeWebviewView();
    try {
      view.resolveWebviewView(webview.view);
      assert.match(webview.view.webview.html, /Content-Security-Policy/);
      assert.equal(webview.posted.length, 0, 'nothing is posted before the webview says it is ready');
      webview.fromWebview.fire({ type: 'ready' });
      const ready = webview.posted.at(-1) as HostToCostView;
      assert.ok(ready.records.length > 0, 'earlier tests made API calls');
      assert.deepEqual(ready.records, controller.costs.select({ kind: 'session' }));

      const panel = await newPanel();
      await runToEnd(panel);
      const calls = panel.transcript.filter((e) => e.type === 'usage').length;
      assert.equal(webview.posted.length, 1 + calls + 1, 'one post per API call and one when the run finished');
      const afterRun = webview.posted.at(-1) as HostToCostView;
      assert.equal(afterRun.totals.run.calls, calls);
      assert.equal(afterRun.records.length, ready.records.length + calls);

      controller.resetCosts();
      const reset = webview.posted.at(-1) as HostToCostView;
      assert.deepEqual(reset.records, []);
      assert.equal(reset.totals.all.calls, 0);
      assert.equal(triage.statusBarText(), '$(pulse) $0 · 0% cached', 'the status bar heard the same event');
    } finally {
      view.dispose();
    }
    assert.equal(webview.listeners, 0, 'no listener left on the webview');
    const posts = webview.posted.length;
    controller.resetCosts();
    assert.equal(webview.posted.length, posts, 'no listener left on the controller');
  });

  it('status bar: the warning colour follows incidentTriage.sessionBudgetUsd when it changes, not at the next API call', async () => {
    const { controller, statusBar } = await hooks();
    const panel = await newPanel();
    await runToEnd(panel);
    const spent = controller.costs.summary({ kind: 'session' }).costUsd;
    assert.ok(spent > 0);
    const settings = vscode.workspace.getConfiguration('incidentTriage');
    assert.equal(statusBar.overBudget, false, 'no budget by default');
    try {
      await settings.update('sessionBudgetUsd', spent / 2, vscode.ConfigurationTarget.Global);
      await until('the warning colour', () => statusBar.overBudget);
      await settings.update('sessionBudgetUsd', spent * 2, vscode.ConfigurationTarget.Global);
      await until('the normal colour', () => !statusBar.overBudget);
    } finally {
      await settings.update('sessionBudgetUsd', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

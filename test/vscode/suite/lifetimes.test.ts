import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { CostLedger } from '../../../src/cost/costLedger';
import { CostViewProvider } from '../../../src/vscode/costView';
import { RunsViewProvider } from '../../../src/vscode/runsView';
import { CostStatusBar } from '../../../src/vscode/statusBar';
import { CountedEvent, FakeWebviewView } from './fakes';
import { ID, api, extensionUri, finished, hooks, newPanel, runToEnd, stalledRun, until, useFakeApi, type Event } from './harness';

/** The tabs of triage panels, live or past, as the workbench shows them. */
const panelTabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('incidentTriage.panel'));

describe('lifetimes: what is released when', () => {
  const fakeApi = useFakeApi();

  it('the status bar, the Cost view and the Runs view leave no listener behind when disposed', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'triage-hosts-'));
    try {
      const changed = new CountedEvent<void>();
      const runFinished = new CountedEvent<void>();
      const costs = new CostLedger();
      const hosts: vscode.Disposable[] = [
        new CostStatusBar({ costs, onDidChange: changed.event }),
        new RunsViewProvider({ storageDir: dir, onDidFinishRun: runFinished.event }, { warn: () => undefined }),
      ];
      const costView = new CostViewProvider(extensionUri(), { costs, onDidChange: changed.event, resetCosts: () => costs.reset() });
      hosts.push(costView);
      const first = new FakeWebviewView();
      costView.resolveWebviewView(first.view);
      assert.equal(first.listeners, 2, 'messages and close');
      // VS Code resolves a view again after it was closed and reopened: the old one's listeners go.
      const second = new FakeWebviewView();
      costView.resolveWebviewView(second.view);
      assert.equal(first.listeners, 0);
      assert.equal(second.listeners, 2);
      assert.equal(changed.live, 2, 'the status bar and the Cost view follow the costs');
      assert.equal(runFinished.live, 1, 'the Runs view follows finished runs');
      for (const host of hosts) host.dispose();
      assert.deepEqual({ costs: changed.live, runs: runFinished.live, webview: second.listeners }, { costs: 0, runs: 0, webview: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the Cost view drops its listeners on a webview the user closed', () => {
    const costs = new CostLedger();
    const costView = new CostViewProvider(extensionUri(), { costs, onDidChange: new CountedEvent<void>().event, resetCosts: () => costs.reset() });
    try {
      const view = new FakeWebviewView();
      costView.resolveWebviewView(view.view);
      view.closed.fire();
      assert.equal(view.listeners, 0);
    } finally {
      costView.dispose();
    }
  });

  it('closing the panel of a running triage cancels the run', async () => {
    const triage = await api();
    const panel = await stalledRun(fakeApi());
    panel.panel.dispose();
    assert.equal(triage.activePanel(), undefined);
    const end = await until('the run to end', () => finished(panel), 10_000);
    assert.equal(end.reason, 'cancelled');
    assert.equal(await vscode.commands.executeCommand<boolean>('incidentTriage.cancel'), false, 'nothing left running');
  });

  // Last: the extension is gone afterwards.
  it('deactivation closes every panel (cancelling a running triage), unregisters the commands and stops the status bar', async () => {
    const triage = await api();
    const testHooks = await hooks();
    const { controller } = testHooks;
    const done = await newPanel();
    await runToEnd(done);
    const runId = (done.transcript[0] as Event<'run_started'>).runId;
    await vscode.commands.executeCommand('incidentTriage.openRun', path.join(controller.storageDir, 'runs', `${runId}.jsonl`));
    const running = await stalledRun(fakeApi());
    assert.ok(panelTabs().length >= 2, 'a past run and a running one are open');
    const meter = triage.statusBarText();
    assert.doesNotMatch(meter, /\$0 /, 'the session has cost something');

    testHooks.deactivate();

    const end = await until('the running triage to end', () => finished(running), 10_000);
    assert.equal(end.reason, 'cancelled');
    await until('every panel to close', () => panelTabs().length === 0);
    const declared = (vscode.extensions.getExtension(ID)!.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      declared.filter((id) => registered.has(id)),
      [],
      'still registered',
    );
    controller.resetCosts();
    assert.equal(triage.statusBarText(), meter, 'the status bar no longer follows the costs');
  });
});

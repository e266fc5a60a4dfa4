import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import { openEvidence } from '../../../src/vscode/triagePanel';
import type { TriageEvent } from '../../../src/shared/events';
import type { Fault } from '../../fixtures/anthropic-server/server';
import { checkedCheckoutReport } from '../../fixtures/reports';
import { ID, INCIDENT, TEST_KEY, api, finished, hooks, newPanel, stalledRun, until, useFakeApi, workspaceRoot, type Event } from './harness';

describe('Incident Triage in a real VS Code', () => {
  const fakeApi = useFakeApi();

  it('activates on first use (not at startup) and registers every contributed command', async () => {
    const extension = vscode.extensions.getExtension(ID)!;
    assert.equal(extension.isActive, false, 'nothing activated it before it was needed');
    await api();
    // From package.json itself, so a command added there without a handler fails here.
    const declared = (extension.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    assert.ok(declared.length > 0, 'package.json declares commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      declared.filter((id) => !registered.has(id)),
      [],
      'declared but not registered',
    );
  });

  it('keeps the API key in secret storage: store, read back, clear', async () => {
    const { forTests } = await api();
    assert.ok(forTests, 'test hooks exist in test mode');
    await forTests.storeApiKey(TEST_KEY);
    assert.equal(await forTests.apiKey(), TEST_KEY);
    await vscode.commands.executeCommand('incidentTriage.clearApiKey');
    assert.equal(await forTests.apiKey(), undefined);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('incidentTriage'));
    assert.ok(!settings.includes(TEST_KEY), 'never in settings');
  });

  it('Analyze Log File runs a triage scoped to the file, ending with the report in the panel and the cost in the status bar', async () => {
    const triage = await api();
    await triage.forTests!.storeApiKey(TEST_KEY);
    const log = vscode.Uri.file(path.join(workspaceRoot(), 'logs', 'payments', 'payments.log'));
    await vscode.commands.executeCommand('incidentTriage.analyzeLogFile', log);
    const panel = await until('a panel', () => triage.activePanel());
    await until('the run to start', () => panel.transcript.length > 0);
    await until('the run to finish', () => !panel.isBusy && panel.transcript.some((e) => e.type === 'run_finished'), 60_000);
    const started = panel.transcript.find((e): e is Event<'run_started'> => e.type === 'run_started')!;
    assert.equal(started.logFile, 'logs/payments/payments.log');
    const report = panel.transcript.find((e): e is Event<'report'> => e.type === 'report');
    assert.deepEqual(report?.report, checkedCheckoutReport());
    assert.match(triage.statusBarText(), /^\$\(pulse\) \$0\.\d+ · \d+% cached$/);
    const sent = JSON.stringify(fakeApi().messageRequests);
    assert.ok(!sent.includes(TEST_KEY), 'the key never appears in a request body');
  });

  it('Triage Incident opens an empty panel that waits for a description', async () => {
    const panel = await newPanel();
    assert.equal(panel.panel.title, 'Incident Triage');
    assert.equal(panel.isBusy, false, 'it waits for a description');
    assert.deepEqual(panel.transcript, []);
  });

  it('Show Cost opens and shows the Cost view', async () => {
    const { costView } = await hooks();
    assert.equal(costView.visible, false, 'hidden until asked for');
    await vscode.commands.executeCommand('incidentTriage.showCost');
    await until('the Cost view to be shown', () => costView.visible);
  });

  it('Cancel Triage with nothing running cancels nothing', async () => {
    await newPanel();
    assert.equal(await vscode.commands.executeCommand<boolean>('incidentTriage.cancel'), false);
  });

  it('Cancel Triage stops a running triage: the run ends as cancelled, without a report', async () => {
    const panel = await stalledRun(fakeApi());
    assert.equal(await vscode.commands.executeCommand<boolean>('incidentTriage.cancel'), true);
    const end = await until('the run to end', () => finished(panel), 10_000);
    assert.equal(end.reason, 'cancelled');
    assert.ok(!panel.transcript.some((e) => e.type === 'report'));
    assert.equal(await vscode.commands.executeCommand<boolean>('incidentTriage.cancel'), false, 'nothing left to cancel');
  });

  it('refuses Analyze Log File for a file that is not a log', async () => {
    const triage = await api();
    const before = triage.activePanel();
    await vscode.commands.executeCommand('incidentTriage.analyzeLogFile', vscode.Uri.file(path.join(workspaceRoot(), 'deploys.json')));
    assert.equal(triage.activePanel(), before, 'no new run');
  });

  /**
   * The same faults the CLI's process-level suite covers, inside the real extension host: a
   * retry wait there lives in the host's event loop beside everything else VS Code runs.
   */
  describe('API faults during a run in the panel', () => {
    const cases: { name: string; faults: Fault[]; fallback?: string; retries: number; check?: (events: readonly TriageEvent[], gapsMs: number[]) => void }[] = [
      {
        name: 'a 429 with retry-after: 1 is waited out, then the run completes',
        faults: [{ kind: 'http', status: 429, type: 'rate_limit_error', retryAfterSeconds: 1 }],
        retries: 1,
        check: (events, gapsMs) => {
          assert.equal(events.find((e): e is Event<'retrying'> => e.type === 'retrying')!.delayMs, 1000);
          // The 429 answered this run's second request; the gap before the third is the wait.
          assert.ok(gapsMs[1]! >= 950, `waited ${Math.round(gapsMs[1]!)} ms`);
        },
      },
      {
        name: 'two 529s switch to incidentTriage.fallbackModel, and the run completes on it',
        faults: [
          { kind: 'http', status: 529, type: 'overloaded_error', retryAfterMs: 100 },
          { kind: 'http', status: 529, type: 'overloaded_error', retryAfterMs: 100 },
        ],
        fallback: 'claude-haiku-4-5',
        retries: 2,
        check: (events) => assert.ok(events.some((e) => e.type === 'model_fallback' && e.to === 'claude-haiku-4-5')),
      },
      { name: 'a connection reset mid-stream: the step is sent again', faults: [{ kind: 'drop', afterEvents: 5 }], retries: 1 },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const triage = await api();
        const server = fakeApi();
        const settings = vscode.workspace.getConfiguration('incidentTriage');
        await settings.update('fallbackModel', c.fallback, vscode.ConfigurationTarget.Global);
        try {
          const panel = await newPanel();
          const before = server.messageRequests.length;
          // Faults hit the second step (its first request), mid-run.
          c.faults.forEach((fault, i) => server.injectFaultAt(before + 2 + i, fault));
          void panel.start(INCIDENT);
          await until('the run to finish', () => finished(panel), 60_000);
          const events = panel.transcript;
          const end = events.at(-1) as Event<'run_finished'>;
          assert.equal(end.type, 'run_finished');
          assert.equal(end.reason, 'report', end.message);
          assert.deepEqual((events.find((e) => e.type === 'report') as Event<'report'>).report, checkedCheckoutReport());
          const retries = events.filter((e) => e.type === 'retrying').length;
          assert.equal(retries, c.retries);
          assert.equal(server.messageRequests.length - before, events.filter((e) => e.type === 'usage').length + retries, 'one request per completed step plus one per retry');
          c.check?.(events, server.messageGapsMs.slice(before));
          const runId = (events[0] as Event<'run_started'>).runId;
          const logged = readFileSync(path.join(triage.forTests!.ledgerDir, 'runs', `${runId}.jsonl`), 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as TriageEvent);
          assert.equal(logged.at(-1)?.type, 'run_finished', 'the run ledger ends with run_finished');
          assert.equal(logged.filter((e) => e.type === 'retrying').length, c.retries);
          assert.ok(!JSON.stringify(logged).includes(TEST_KEY), 'the key is not in the ledger');
        } finally {
          await settings.update('fallbackModel', undefined, vscode.ConfigurationTarget.Global);
        }
      });
    }
  });

  it('opens cited evidence at its line, and nothing outside the workspace', async () => {
    const editor = await openEvidence([workspaceRoot()], 'logs/payments/payments.log', 107);
    assert.ok(editor);
    assert.equal(editor.selection.active.line, 106);
    assert.match(editor.document.lineAt(106).text, /maximumPoolSize=5/);
    assert.equal(await openEvidence([workspaceRoot()], '../../../../etc/passwd', 1), undefined);
  });
});

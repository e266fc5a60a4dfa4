import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import type { IncidentTriageApi } from '../../../src/vscode/extension';
import { openEvidence } from '../../../src/vscode/triagePanel';
import type { TriageEvent } from '../../../src/agent/events';
import { FakeAnthropic } from '../../fixtures/anthropic-server/server';
import { checkoutIncidentScenario, checkoutReport } from '../../fixtures/scenarios/checkoutIncident';

const ID = 'triage-labs.incident-triage';
const TEST_KEY = 'sk-ant-test-extension-host-0000000000';
const workspaceRoot = () => vscode.workspace.workspaceFolders![0]!.uri.fsPath;

async function api(): Promise<IncidentTriageApi> {
  const ext = vscode.extensions.getExtension<IncidentTriageApi>(ID);
  assert.ok(ext, `${ID} is installed`);
  if (ext.isActive) return ext.exports;
  const t0 = performance.now();
  const exports = await ext.activate();
  console.log(`    (activation took ${Math.round(performance.now() - t0)} ms)`);
  return exports;
}

async function until<T>(what: string, probe: () => T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('Incident Triage in a real VS Code', () => {
  let server: FakeAnthropic;
  before(async () => {
    server = await FakeAnthropic.start({ scenario: checkoutIncidentScenario });
    await vscode.workspace.getConfiguration('incidentTriage').update('baseUrl', server.url, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('incidentTriage').update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  it('activates on first use (not at startup) and registers every contributed command', async () => {
    assert.equal(vscode.extensions.getExtension(ID)!.isActive, false, 'nothing activated it before it was needed');
    await api();
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['triage', 'analyzeLogFile', 'setApiKey', 'clearApiKey', 'showCost', 'cancel']) assert.ok(commands.includes(`incidentTriage.${id}`), id);
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
    const started = panel.transcript.find((e): e is Extract<TriageEvent, { type: 'run_started' }> => e.type === 'run_started')!;
    assert.equal(started.logFile, 'logs/payments/payments.log');
    const report = panel.transcript.find((e): e is Extract<TriageEvent, { type: 'report' }> => e.type === 'report');
    assert.deepEqual(report?.report, checkoutReport);
    assert.match(triage.statusBarText(), /^\$\(pulse\) \$0\.\d+ · \d+% cached$/);
    const sent = JSON.stringify(server.messageRequests);
    assert.ok(!sent.includes(TEST_KEY), 'the key never appears in a request body');
  });

  it('Triage Incident, Show Cost and Cancel Triage run from the palette', async () => {
    const triage = await api();
    triage.activePanel()?.panel.dispose();
    await vscode.commands.executeCommand('incidentTriage.triage');
    const panel = await until('the triage panel', () => triage.activePanel());
    assert.equal(panel.panel.title, 'Incident Triage');
    assert.equal(panel.isBusy, false, 'it waits for a description');
    await vscode.commands.executeCommand('incidentTriage.showCost');
    await vscode.commands.executeCommand('incidentTriage.cancel'); // nothing running: says so, does not throw
  });

  it('refuses Analyze Log File for a file that is not a log', async () => {
    const triage = await api();
    const before = triage.activePanel();
    await vscode.commands.executeCommand('incidentTriage.analyzeLogFile', vscode.Uri.file(path.join(workspaceRoot(), 'deploys.json')));
    assert.equal(triage.activePanel(), before, 'no new run');
  });

  it('opens cited evidence at its line, and nothing outside the workspace', async () => {
    const editor = await openEvidence([workspaceRoot()], 'logs/payments/payments.log', 107);
    assert.ok(editor);
    assert.equal(editor.selection.active.line, 106);
    assert.match(editor.document.lineAt(106).text, /maximumPoolSize=5/);
    assert.equal(await openEvidence([workspaceRoot()], '../../../../etc/passwd', 1), undefined);
  });
});

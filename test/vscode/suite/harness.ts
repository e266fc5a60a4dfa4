import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { IncidentTriageApi } from '../../../src/vscode/extension';
import type { TriagePanel } from '../../../src/vscode/triagePanel';
import type { TriageEvent } from '../../../src/shared/events';
import { FakeAnthropic } from '../../fixtures/anthropic-server/server';
import { checkoutIncidentScenario } from '../../fixtures/scenarios/checkoutIncident';

export const ID = 'triage-labs.incident-triage';
export const TEST_KEY = 'sk-ant-test-extension-host-0000000000';
export const INCIDENT = 'Checkout is failing for most customers since about 14:05 UTC';
export const workspaceRoot = (): string => vscode.workspace.workspaceFolders![0]!.uri.fsPath;
export const extensionUri = (): vscode.Uri => vscode.extensions.getExtension(ID)!.extensionUri;

export type Event<T extends TriageEvent['type']> = Extract<TriageEvent, { type: T }>;

export async function api(): Promise<IncidentTriageApi> {
  const ext = vscode.extensions.getExtension<IncidentTriageApi>(ID);
  assert.ok(ext, `${ID} is installed`);
  if (ext.isActive) return ext.exports;
  const t0 = performance.now();
  const exports = await ext.activate();
  console.log(`    (activation took ${Math.round(performance.now() - t0)} ms)`);
  return exports;
}

/** The test hooks, which the extension exports only in test mode. */
export async function hooks(): Promise<NonNullable<IncidentTriageApi['forTests']>> {
  const { forTests } = await api();
  assert.ok(forTests, 'test hooks exist in test mode');
  return forTests;
}

export async function until<T>(what: string, probe: () => T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The scripted Anthropic API for the enclosing `describe`, set as incidentTriage.baseUrl while it runs. */
export function useFakeApi(): () => FakeAnthropic {
  let server: FakeAnthropic | undefined;
  before(async () => {
    server = await FakeAnthropic.start({ scenario: checkoutIncidentScenario });
    await vscode.workspace.getConfiguration('incidentTriage').update('baseUrl', server.url, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('incidentTriage').update('baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });
  return () => server!;
}

/** A fresh, empty triage panel from the palette command, with the test key stored. */
export async function newPanel(): Promise<TriagePanel> {
  const triage = await api();
  await triage.forTests!.storeApiKey(TEST_KEY);
  triage.activePanel()?.panel.dispose();
  await vscode.commands.executeCommand('incidentTriage.triage');
  return until('the triage panel', () => triage.activePanel());
}

export function finished(panel: TriagePanel): Event<'run_finished'> | undefined {
  return panel.isBusy ? undefined : panel.transcript.findLast((e): e is Event<'run_finished'> => e.type === 'run_finished');
}

/** Starts a triage whose first response stalls mid-stream, so it is certainly still running when the test acts. */
export async function stalledRun(server: FakeAnthropic): Promise<TriagePanel> {
  const panel = await newPanel();
  const before = server.messageRequests.length;
  server.injectFaultAt(before + 1, { kind: 'stall', afterEvents: 3, ms: 30_000 });
  void panel.start(INCIDENT);
  await until('the first request', () => server.messageRequests.length > before);
  assert.equal(panel.isBusy, true);
  return panel;
}

/** Starts a triage in `panel` and resolves with its run_finished event. */
export async function runToEnd(panel: TriagePanel, description = INCIDENT): Promise<Event<'run_finished'>> {
  void panel.start(description);
  return until('the run to finish', () => finished(panel), 60_000);
}

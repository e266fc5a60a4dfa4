import path from 'node:path';
import * as vscode from 'vscode';
import { readRunLog } from '../ledger/eventLog';
import { resolveInWorkspace } from '../security/confinement';
import { CostViewProvider } from './costView';
import { RunController, loadEngine } from './runController';
import { registerLanguageModelTools } from './languageModelTools';
import { readSettings } from './settings';
import { RunsViewProvider } from './runsView';
import { Secrets } from './secrets';
import { CostStatusBar } from './statusBar';
import { TriagePanel, evidenceHighlightLifetime } from './triagePanel';

const LOG_FILE = /\.log(\.\d+)?(\.gz)?$|\.jsonl$/i;
/** How long deactivation waits for cancelled runs to end before the controller and the log go anyway. */
const RUNS_END_MS = 3000;

/** What the extension exports. The test hooks exist only when VS Code runs the extension's tests. */
export interface IncidentTriageApi {
  statusBarText(): string;
  activePanel(): TriagePanel | undefined;
  forTests?: {
    storeApiKey(key: string): Promise<void>;
    apiKey(): Promise<string | undefined>;
    ledgerDir: string;
    controller: RunController;
    statusBar: CostStatusBar;
    costView: CostViewProvider;
    runsView: RunsViewProvider;
    /** What VS Code does when it deactivates the extension: dispose context.subscriptions, in order. */
    deactivate(): void;
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<IncidentTriageApi> {
  const log = vscode.window.createOutputChannel('Incident Triage', { log: true });
  await vscode.workspace.fs.createDirectory(context.globalStorageUri);
  const secrets = new Secrets(context.secrets);
  const controller = new RunController(secrets, context.globalStorageUri.fsPath, log);
  const statusBar = new CostStatusBar(controller);
  const costView = new CostViewProvider(context.extensionUri, controller);
  const runsView = new RunsViewProvider(controller, log);

  const command = (id: string, run: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, run);
  // VS Code disposes these in order at deactivation, synchronously. Panels close first, cancelling
  // their runs; a cancelled run still records its end (run_finished: cancelled) through the
  // controller and the log, so those two go once the runs have ended, or after RUNS_END_MS.
  context.subscriptions.push(
    new vscode.Disposable(() => {
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, RUNS_END_MS));
      void Promise.race([TriagePanel.closeAll(), timeout]).then(() => void vscode.Disposable.from(controller, log).dispose());
    }),
    evidenceHighlightLifetime,
    runsView,
    costView,
    statusBar,
    vscode.window.registerWebviewViewProvider(CostViewProvider.id, costView),
    ...registerLanguageModelTools(context.extension, {
      loadEngine,
      toolSettings: () => controller.toolSettings(),
      heldSecrets: async () => [await secrets.apiKey()],
      workspaceRoots: () => controller.workspaceRoots(),
      toolTimeoutMs: () => readSettings().toolTimeoutMs,
      isTrusted: () => vscode.workspace.isTrusted,
      log: (message) => log.info(message),
    }),
    vscode.window.registerTreeDataProvider(RunsViewProvider.id, runsView),
    command('incidentTriage.triage', () => TriagePanel.show(context.extensionUri, controller)),
    command('incidentTriage.analyzeLogFile', (uri?: vscode.Uri) => analyzeLogFile(context.extensionUri, controller, uri)),
    command('incidentTriage.setApiKey', async () => {
      if (await secrets.promptForApiKey()) void vscode.window.showInformationMessage('Anthropic API key saved in secret storage.');
    }),
    command('incidentTriage.setMcpSecret', async () => {
      const name = await secrets.promptForMcpSecret();
      if (name) void vscode.window.showInformationMessage(`MCP secret "${name}" saved in secret storage; reference it as \${secret:${name}} in incidentTriage.mcpServers.`);
    }),
    command('incidentTriage.clearApiKey', async () => {
      await secrets.clearApiKey();
      void vscode.window.showInformationMessage('Anthropic API key removed from secret storage.');
    }),
    command('incidentTriage.showCost', () => vscode.commands.executeCommand(`${CostViewProvider.id}.focus`)),
    // Resolves whether a run was cancelled (for callers such as tests; the palette ignores it).
    command('incidentTriage.cancel', () => {
      const cancelled = TriagePanel.cancelCurrent();
      if (!cancelled) void vscode.window.showInformationMessage('No triage is running.');
      return cancelled;
    }),
    command('incidentTriage.openRun', (file: string) => {
      const { events } = readRunLog(file);
      TriagePanel.showPast(context.extensionUri, controller, events, `Triage: ${path.basename(file, '.jsonl').slice(0, 8)}`);
    }),
    command('incidentTriage.showRequest', async () => {
      const description = await vscode.window.showInputBox({ title: 'Show what will be sent', prompt: 'The incident description to preview (nothing is sent)', ignoreFocusOut: true });
      if (!description?.trim()) return;
      const json = await controller.preview(description.trim());
      const document = await vscode.workspace.openTextDocument({ language: 'json', content: json });
      await vscode.window.showTextDocument(document, { preview: true });
    }),
  );
  log.info('Incident Triage activated.');
  const api: IncidentTriageApi = { statusBarText: () => statusBar.text, activePanel: () => TriagePanel.active };
  if (context.extensionMode === vscode.ExtensionMode.Test) {
    api.forTests = {
      storeApiKey: (key) => secrets.storeApiKey(key),
      apiKey: () => secrets.apiKey(),
      ledgerDir: controller.storageDir,
      controller,
      statusBar,
      costView,
      runsView,
      deactivate: () => {
        for (const d of context.subscriptions.splice(0)) d.dispose();
      },
    };
  }
  return api;
}

/** From the explorer or editor menu (with a URI), or the palette (the active editor's log file). */
async function analyzeLogFile(extensionUri: vscode.Uri, controller: RunController, uri?: vscode.Uri): Promise<void> {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target || target.scheme !== 'file' || !LOG_FILE.test(target.fsPath)) {
    void vscode.window.showWarningMessage('Analyze Log File needs a log file (*.log, *.log.1, *.log.gz, *.jsonl): right-click one in the Explorer.');
    return;
  }
  let relative: string;
  try {
    relative = (await resolveInWorkspace(controller.workspaceRoots(), target.fsPath)).relative;
  } catch (err) {
    void vscode.window.showWarningMessage(`Analyze Log File: ${(err as Error).message}`);
    return;
  }
  TriagePanel.show(extensionUri, controller, { logFile: relative, autoStart: `Analyze the log file ${relative}: what went wrong, when it started, and why.` });
}

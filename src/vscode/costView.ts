import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { toCsv } from '../cost/costLedger';
import { costViewToHost, type HostToCostView } from '../webview/costProtocol';
import { Disposable } from './disposable';
import type { RunController } from './runController';

/** The "Cost" view: one row per API call, totals per run, session and all time, Reset and Export CSV. */
export class CostViewProvider extends Disposable implements vscode.WebviewViewProvider {
  static readonly id = 'incidentTriage.cost';
  private view: vscode.WebviewView | undefined;
  /** The current view's listeners: replaced when VS Code resolves the view again, released with it or with this provider. */
  private viewListeners: vscode.Disposable | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly controller: Pick<RunController, 'costs' | 'onDidChange' | 'resetCosts'>,
  ) {
    super();
    this.register(controller.onDidChange(() => this.refresh()));
    this.register({ dispose: () => void this.viewListeners?.dispose() });
  }

  /** Whether the view is open and shown (collapsed or in a closed sidebar it is not). */
  get visible(): boolean {
    return this.view?.visible ?? false;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.viewListeners?.dispose();
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')] };
    view.webview.html = this.html(view.webview);
    // A collapsed view drops its iframe; "ready" on the next show rebuilds it from the ledger.
    const onMessage = view.webview.onDidReceiveMessage(async (raw: unknown) => {
      const parsed = costViewToHost.safeParse(raw);
      if (!parsed.success) return;
      if (parsed.data.type === 'ready') this.refresh();
      if (parsed.data.type === 'reset') await this.reset();
      if (parsed.data.type === 'exportCsv') await this.exportCsv();
    });
    const onClosed = view.onDidDispose(() => {
      this.viewListeners?.dispose();
      this.viewListeners = this.view = undefined;
    });
    this.viewListeners = vscode.Disposable.from(onMessage, onClosed);
  }

  private refresh(): void {
    if (!this.view) return;
    const costs = this.controller.costs;
    const lastRun = costs.records.at(-1)?.runId;
    const message: HostToCostView = {
      type: 'data',
      records: costs.select({ kind: 'session' }),
      totals: {
        run: costs.summary(lastRun ? { kind: 'run', runId: lastRun } : { kind: 'session' }),
        session: costs.summary({ kind: 'session' }),
        all: costs.summary({ kind: 'all' }),
      },
    };
    void this.view.webview.postMessage(message);
  }

  private async reset(): Promise<void> {
    const answer = await vscode.window.showWarningMessage('Reset the cost ledger? The current one is kept as a .bak file.', { modal: true }, 'Reset');
    if (answer !== 'Reset') return;
    // The change event refreshes this view and the status bar.
    this.controller.resetCosts();
  }

  private async exportCsv(): Promise<void> {
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file('incident-triage-costs.csv'), filters: { CSV: ['csv'] } });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(toCsv(this.controller.costs.records)));
    void vscode.window.showInformationMessage(`Exported ${this.controller.costs.records.length} API calls.`);
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', name));
    const csp = `default-src 'none'; script-src 'nonce-${nonce}'; style-src ${webview.cspSource}; font-src ${webview.cspSource}; connect-src 'none'`;
    return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8"><meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet"><link rel="stylesheet" href="${asset('cost.css')}"></head>
<body><div id="totals"></div><svg id="chart" viewBox="0 0 300 60" preserveAspectRatio="none" role="img" aria-label="Cumulative cost this session"></svg>
<div class="actions"><vscode-button id="export" secondary>Export CSV</vscode-button><vscode-button id="reset" secondary>Reset</vscode-button></div>
<table id="calls"><thead><tr><th>time</th><th>model</th><th>in</th><th>write</th><th>read</th><th>out</th><th>$</th><th>TTFT</th><th>total</th></tr></thead><tbody></tbody></table>
<script nonce="${nonce}" src="${asset('cost.js')}"></script></body></html>`;
  }
}

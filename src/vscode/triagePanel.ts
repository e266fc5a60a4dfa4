import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { TriageEvent } from '../shared/events';
import type { VerifiedReport } from '../shared/report';
import { reportToMarkdown } from '../agent/reportMarkdown';
import { resolveInWorkspace } from '../security/confinement';
import { panelToHost, type HostToPanel, type PanelToHost } from '../webview/protocol';
import type { RunController } from './runController';
import type { Conversation } from '../engine/startTriage';
import { Disposable } from './disposable';

const VIEW_TYPE = 'incidentTriage.panel';
/** About one display frame: token deltas are sent in batches, not one message each. */
const BATCH_MS = 16;
const HIGHLIGHT_MS = 4000;

/**
 * The triage panel. The host keeps the whole event history, so a panel that was hidden (its
 * webview discarded) or reopened from the Runs view is rebuilt from it; the webview only renders.
 */
export class TriagePanel extends Disposable {
  private static current: TriagePanel | undefined;
  /** Every open panel, live or past: `closeAll` closes them with the extension. */
  private static readonly open = new Set<TriagePanel>();
  private readonly events: TriageEvent[] = [];
  private pending: TriageEvent[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private busy = false;
  /** Set by `closeAll` on a busy panel: called when its run has ended. */
  private runEnded: (() => void) | undefined;
  private abort: AbortController | undefined;
  /** The last run's conversation: a follow-up question continues it. */
  private conversation: Conversation | undefined;
  private report: VerifiedReport | undefined;

  static show(extensionUri: vscode.Uri, controller: RunController, options: { logFile?: string; autoStart?: string } = {}): TriagePanel {
    const existing = TriagePanel.current;
    // A running triage, or an empty panel waiting for a description, is brought forward; a
    // finished one stays open in its own tab and a new incident gets a new panel.
    const empty = existing && !existing.busy && existing.events.length === 0;
    if (existing && (existing.busy || (empty && !options.autoStart))) {
      existing.panel.reveal();
      return existing;
    }
    if (empty) existing.dispose();
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Incident Triage', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    });
    const created = new TriagePanel(panel, extensionUri, controller, options.logFile, false);
    TriagePanel.current = created;
    if (options.autoStart) void created.start(options.autoStart);
    return created;
  }

  /** A past run from the ledger, shown read-only. */
  static showPast(extensionUri: vscode.Uri, controller: RunController, events: TriageEvent[], title: string): TriagePanel {
    const panel = vscode.window.createWebviewPanel(VIEW_TYPE, title, vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview')] });
    const past = new TriagePanel(panel, extensionUri, controller, undefined, true);
    past.events.push(...events);
    past.report = events.findLast((e): e is Extract<TriageEvent, { type: 'report' }> => e.type === 'report')?.report;
    return past;
  }

  static cancelCurrent(): boolean {
    return TriagePanel.current?.cancel() ?? false;
  }

  static get active(): TriagePanel | undefined {
    return TriagePanel.current;
  }

  /**
   * Closes every open panel, cancelling a running triage: the extension registers this for
   * deactivation. Resolves when the cancelled runs have ended (recorded their run_finished).
   */
  static closeAll(): Promise<void> {
    const panels = [...TriagePanel.open];
    const ended = panels.filter((p) => p.busy).map((p) => new Promise<void>((resolve) => (p.runEnded = resolve)));
    for (const panel of panels) panel.dispose();
    return Promise.all(ended).then(() => undefined);
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly controller: RunController,
    private readonly logFile: string | undefined,
    private readonly readOnly: boolean,
  ) {
    super();
    TriagePanel.open.add(this);
    // Closed by the user (the tab) or by code (deactivation, a replaced empty panel): the same path.
    this.register(
      new vscode.Disposable(() => {
        this.abort?.abort();
        clearTimeout(this.flushTimer);
        if (TriagePanel.current === this) TriagePanel.current = undefined;
        TriagePanel.open.delete(this);
      }),
    );
    this.register(panel);
    panel.webview.html = panelHtml(panel.webview, extensionUri);
    this.register(
      vscode.Disposable.from(
        panel.onDidDispose(() => this.dispose()),
        panel.webview.onDidReceiveMessage((raw: unknown) => {
          const parsed = panelToHost.safeParse(raw);
          if (parsed.success) void this.handle(parsed.data);
        }),
      ),
    );
  }

  get isBusy(): boolean {
    return this.busy;
  }

  get transcript(): readonly TriageEvent[] {
    return this.events;
  }

  private async handle(message: PanelToHost): Promise<void> {
    switch (message.type) {
      case 'ready':
        return this.post({ type: 'init', events: this.events, busy: this.busy, readOnly: this.readOnly, ...(this.logFile ? { logFile: this.logFile } : {}) });
      case 'start':
        return this.start(message.description);
      case 'followUp':
        return this.start(message.question, this.conversation);
      case 'cancel':
        this.cancel();
        return;
      case 'openEvidence':
        await openEvidence(this.controller.workspaceRoots(), message.file, message.line);
        return;
      case 'exportReport':
        return this.exportReport();
    }
  }

  async start(description: string, followUp?: Conversation): Promise<void> {
    if (this.busy || this.readOnly) return;
    this.abort = new AbortController();
    this.setBusy(true);
    try {
      const started = await this.controller.start({ description, logFile: followUp ? undefined : this.logFile, followUp, signal: this.abort.signal });
      if (!started) return;
      for await (const event of started.events) {
        this.events.push(event);
        if (event.type === 'report') this.report = event.report;
        this.queue(event);
      }
      this.conversation = started.run.conversation;
    } finally {
      this.setBusy(false);
    }
  }

  cancel(): boolean {
    if (!this.busy || !this.abort) return false;
    this.abort.abort();
    return true;
  }

  private queue(event: TriageEvent): void {
    this.pending.push(event);
    this.flushTimer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  private flush(): void {
    this.flushTimer = undefined;
    const events = this.pending;
    this.pending = [];
    // A hidden webview gets nothing; it asks for everything with "ready" when it is shown again.
    // A closed one throws on any use, and a cancelled run still delivers its last events.
    if (events.length && !this.isDisposed && this.panel.visible) void this.post({ type: 'events', events });
  }

  private setBusy(busy: boolean): void {
    this.busy = busy;
    void vscode.commands.executeCommand('setContext', 'incidentTriage.running', busy);
    if (!busy) this.runEnded?.();
    if (this.isDisposed) return;
    this.flush();
    void this.post({ type: 'busy', busy });
  }

  private async post(message: HostToPanel): Promise<void> {
    await this.panel.webview.postMessage(message);
  }

  private async exportReport(): Promise<void> {
    if (!this.report) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `triage-${this.report.severity.toLowerCase()}-${new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-')}.md`;
    const target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { Markdown: ['md'] } });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(reportToMarkdown(this.report)));
    void vscode.window.showInformationMessage(`Report saved to ${vscode.workspace.asRelativePath(target)}.`);
  }
}

let highlight: vscode.TextEditorDecorationType | undefined;

/** The cited line's highlight, made on the first evidence opened rather than at activation. */
function evidenceHighlight(): vscode.TextEditorDecorationType {
  return (highlight ??= vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('editor.findMatchHighlightBackground'),
    isWholeLine: true,
    overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.findMatchForeground'),
    overviewRulerLane: vscode.OverviewRulerLane.Center,
  }));
}

/** Releases the highlight (and clears it from every editor): the extension registers this for deactivation. */
export const evidenceHighlightLifetime: vscode.Disposable = {
  dispose() {
    highlight?.dispose();
    highlight = undefined;
  },
};

/** Opens a cited log line, only if the path resolves inside the workspace, and highlights it. */
export async function openEvidence(roots: readonly string[], file: string, line: number): Promise<vscode.TextEditor | undefined> {
  let real: string;
  try {
    real = (await resolveInWorkspace(roots, file)).real;
  } catch (err) {
    void vscode.window.showWarningMessage(`Cannot open ${file}: ${(err as Error).message}`);
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(real));
  const at = Math.min(Math.max(line - 1, 0), document.lineCount - 1);
  const range = document.lineAt(at).range;
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, selection: range, preview: true });
  editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
  const decoration = evidenceHighlight();
  editor.setDecorations(decoration, [range]);
  setTimeout(() => editor.setDecorations(decoration, []), HIGHLIGHT_MS);
  return editor;
}

/** Strict CSP: nothing but our bundled script (by nonce) and stylesheet; no network, no eval. */
function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name));
  const csp = ["default-src 'none'", `script-src 'nonce-${nonce}'`, `style-src ${webview.cspSource}`, `font-src ${webview.cspSource}`, `img-src ${webview.cspSource} data:`, "connect-src 'none'"].join(
    '; ',
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('codicon.css')}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${asset('uPlot.min.css')}">
<link rel="stylesheet" href="${asset('panel.css')}">
<title>Incident Triage</title>
</head>
<body>
<header><span class="codicon codicon-pulse"></span><h1>Incident Triage</h1><span id="status" class="muted"></span><vscode-button id="cancel" secondary hidden>Cancel</vscode-button></header>
<div id="start-form" class="form">
  <label for="description">What is burning? Symptoms, services, since when.</label>
  <span id="scope" class="muted"></span>
  <vscode-textarea id="description" rows="4" resize="vertical" placeholder="Checkout returns 502 for most users since about 14:05 UTC"></vscode-textarea>
  <vscode-button id="start">Start triage</vscode-button>
</div>
<main id="transcript" aria-live="polite"></main>
<div id="follow-up-form" class="form" hidden>
  <vscode-textarea id="question" rows="2" resize="vertical" placeholder="Ask a follow-up question about this incident"></vscode-textarea>
  <vscode-button id="ask">Ask</vscode-button>
</div>
<script nonce="${nonce}" src="${asset('panel.js')}"></script>
</body>
</html>`;
}

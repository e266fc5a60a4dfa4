import { existsSync } from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';
import type { TriageEvent } from '../shared/events';
import type { Conversation, EngineConfig, ToolSettings, TriageRequest, TriageSession } from '../engine/startTriage';
import { CostLedger } from '../cost/costLedger';
import { checkHeaderSecret } from '../security/headerSecret';
import { readSettings, type TriageSettings } from './settings';
import type { Secrets } from './secrets';
import { approvalText } from './approvalText';
import type { ApprovalRequest } from '../tools/registry';
import type { McpHub } from '../tools/mcp/mcpHub';

export interface StartOptions {
  description: string;
  logFile?: string;
  /** The earlier run's conversation, when this is a follow-up question. */
  followUp?: Conversation;
  signal: AbortSignal;
}

/** Starts engine runs with the user's settings and records what they cost. */
export class RunController implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after each recorded API call and finished run: the status bar and views refresh. */
  readonly onDidChange = this.changed.event;
  readonly costs: CostLedger;
  /** Asks the user before a tool with side effects runs (the modal dialog; the extension-host tests answer in its place). */
  approve: (call: ApprovalRequest) => Promise<boolean> = askToApprove;

  constructor(
    private readonly secrets: Secrets,
    readonly storageDir: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.costs = new CostLedger(path.join(storageDir, 'cost-ledger.jsonl'));
    if (this.costs.skippedLines) log.warn(`Cost ledger: ${this.costs.skippedLines} unreadable lines skipped.`);
  }

  /** The workspace folders a run may read: local ones only (the tools stream files from disk). */
  workspaceRoots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  /** A run ready to iterate, or undefined when there is no API key (the user was offered to set one). */
  async start(options: StartOptions): Promise<{ run: TriageSession; events: AsyncIterable<TriageEvent> } | undefined> {
    const s = readSettings();
    if (s.problems.length) {
      const choice = await vscode.window.showErrorMessage(`Incident Triage: ${s.problems.join(' ')}`, 'Open Settings');
      if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'incidentTriage');
      return undefined;
    }
    let apiKey = await this.secrets.apiKey();
    if (!apiKey) {
      const choice = await vscode.window.showWarningMessage('Incident Triage needs an Anthropic API key.', 'Set API Key');
      if (choice !== 'Set API Key' || !(await this.secrets.promptForApiKey())) return undefined;
      apiKey = await this.secrets.apiKey();
    }
    // A key from the environment is not checked on entry: one that cannot be sent as a header is refused here, unechoed.
    const checked = checkHeaderSecret(apiKey ?? '', 'The API key');
    if (!checked.ok) {
      const choice = await vscode.window.showErrorMessage(`Incident Triage: ${checked.problem}`, 'Set API Key');
      if (choice === 'Set API Key') await this.secrets.promptForApiKey();
      return undefined;
    }
    const engine = loadEngine();
    const mcp = await this.startMcp(engine, s, options.signal);
    if (mcp === null) return undefined;
    try {
      const run = engine.startTriage(runRequest(options, s), { ...(await this.engineConfig(s, checked.key)), ...(mcp ? { mcp } : {}) }, options.signal);
      return { run, events: this.observe(run, mcp) };
    } catch (err) {
      await mcp?.close();
      throw err;
    }
  }

  /**
   * The MCP servers of `incidentTriage.mcpServers`, started for this run (undefined when none are
   * configured; null when the setting cannot be used, which the user was told). Servers that did
   * not start are named in a warning; the run goes on with the others.
   */
  private async startMcp(engine: typeof import('./engine'), s: TriageSettings, signal?: AbortSignal): Promise<McpHub | undefined | null> {
    if (s.mcpServers === undefined) return undefined;
    try {
      const hub = await engine.startMcpServers(
        s.mcpServers,
        'incidentTriage.mcpServers',
        ({ kind, name }) => (kind === 'env' ? Promise.resolve(process.env[name]) : this.secrets.mcpSecret(name)),
        signal,
      );
      for (const problem of hub.problems) {
        this.log.warn(problem);
        void vscode.window.showWarningMessage(`Incident Triage: ${problem}`);
      }
      return hub;
    } catch (err) {
      if (!(err instanceof engine.McpConfigError)) throw err;
      const choice = await vscode.window.showErrorMessage(`Incident Triage: ${err.message}`, 'Open Settings', 'Set MCP Secret');
      if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'incidentTriage.mcpServers');
      if (choice === 'Set MCP Secret') await vscode.commands.executeCommand('incidentTriage.setMcpSecret');
      return null;
    }
  }

  /** The first request a triage of `description` would send, secrets redacted, for the user to inspect. */
  async preview(description: string, logFile?: string): Promise<string> {
    const s = readSettings();
    const engine = loadEngine();
    // The MCP servers' tool definitions are part of the request: they are started for the preview too.
    const mcp = (await this.startMcp(engine, s)) ?? undefined;
    try {
      // Nothing is sent: without a stored key the placeholder only marks where it would go.
      const request = await engine.previewTriage(runRequest({ description, logFile }, s), { ...(await this.engineConfig(s, (await this.secrets.apiKey()) ?? 'preview')), ...(mcp ? { mcp } : {}) });
      return JSON.stringify(request, null, 2);
    } finally {
      await mcp?.close();
    }
  }

  /** The engine's configuration from the settings, with the Prometheus token from secret storage (a preview needs it too: it masks it). */
  private async engineConfig(s: TriageSettings, apiKey: string): Promise<EngineConfig> {
    return {
      apiKey,
      baseUrl: s.baseUrl,
      workspaceRoots: this.workspaceRoots(),
      tools: await this.toolSettings(s),
      pricing: s.pricing,
      ledger: { dir: this.storageDir, costs: this.costs },
      toolTimeoutMs: s.toolTimeoutMs,
      onRetryExhausted: ({ message }) => askToRetry(message),
      approve: (call) => this.approve(call),
    };
  }

  /** The tools' settings as runs use them (also what the agent-mode tools read with): globs, exclusions, VS Code's ripgrep, Prometheus with its token. */
  async toolSettings(s: TriageSettings = readSettings()): Promise<ToolSettings> {
    const token = await this.secrets.prometheusToken();
    return {
      exclude: s.exclude,
      logs: { globs: s.logGlobs, ripgrepPath: bundledRipgrep() },
      ...(s.prometheusUrl ? { prometheus: { url: s.prometheusUrl, queries: s.prometheusQueries, ...(token ? { bearerToken: token } : {}) } } : {}),
    };
  }

  /** The run's events, after the engine recorded them: logged, and the views told when a cost lands. */
  private async *observe(run: TriageSession, mcp: McpHub | undefined): AsyncGenerator<TriageEvent> {
    try {
      for await (const event of run.events) {
        this.logEvent(event);
        if (event.type === 'usage') this.changed.fire();
        if (event.type === 'run_finished') {
          this.changed.fire();
          this.finished.fire();
        }
        yield event;
      }
    } finally {
      // The run's MCP servers stop with it, however it ended (also when the panel stops reading).
      await mcp?.close();
    }
  }

  /** What happened, without log contents, model text or secrets. */
  private logEvent(e: TriageEvent): void {
    switch (e.type) {
      case 'run_started':
        return this.log.info(`Run ${e.runId} started: model ${e.model}, up to ${e.maxSteps} steps, thinking ${e.thinking}.`);
      case 'tool_result':
        return e.ok ? this.log.debug(`Tool ${e.name} ok in ${e.durationMs} ms.`) : this.log.warn(`Tool ${e.name} failed in ${e.durationMs} ms.`);
      case 'usage':
        return this.log.debug(
          `API call (step ${e.step}, ${e.model}): ${e.usage.inputTokens} in, ${e.usage.cacheCreationInputTokens} cache write, ${e.usage.cacheReadInputTokens} cache read, ${e.usage.outputTokens} out, ${e.totalMs} ms.`,
        );
      case 'error':
        return this.log.error(e.message);
      case 'run_finished':
        return this.log.info(`Run finished (${e.reason}) after ${e.steps} steps in ${(e.durationMs / 1000).toFixed(1)} s.`);
      case 'first_look':
        return this.log.debug(`First look: ${e.firstLook.filesTotal} log files in ${e.firstLook.durationMs} ms${e.firstLook.partial ? ' (stopped early)' : ''}.`);
      case 'retrying':
        return this.log.warn(`Step ${e.step} attempt ${e.attempt} in ${e.delayMs} ms: ${e.reason}`);
      case 'model_fallback':
        return this.log.warn(`Step ${e.step}: continuing on ${e.to} (${e.reason}).`);
      // Model text, tool arguments and the report stay out of the log: they quote log contents.
      case 'step_started':
      case 'thinking_delta':
      case 'text_delta':
      case 'tool_call_started':
      case 'tool_input_delta':
      case 'tool_call_ready':
      case 'report':
        return;
    }
  }

  dispose(): void {
    this.changed.dispose();
    this.finished.dispose();
  }

  private readonly finished = new vscode.EventEmitter<void>();
  /** Fires when a run has finished and its log is complete: the Runs view refreshes then, not on every API call. */
  readonly onDidFinishRun = this.finished.event;

  /** Starts a new cost ledger (the old one is kept as .bak); the status bar and the cost view refresh on the change event. */
  resetCosts(): void {
    this.costs.reset();
    this.changed.fire();
  }
}

function runRequest(options: { description: string; logFile?: string; followUp?: Conversation }, s: TriageSettings): TriageRequest {
  return {
    description: options.description,
    logFile: options.logFile,
    followUp: options.followUp,
    model: s.model,
    fallbackModel: s.fallbackModel,
    maxSteps: s.maxSteps,
    thinking: s.thinking,
    cacheTtl: s.cacheTtl,
    budget: s.budget,
  };
}

/** A tool with side effects (an MCP tool not marked read-only) runs only when the user says so, knowing what it says of itself. */
async function askToApprove(call: ApprovalRequest): Promise<boolean> {
  const { message, detail } = approvalText(call);
  const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, 'Allow once');
  return choice === 'Allow once';
}

/** The retry policy gave up after about a minute: the user decides, with 30 s before it stops by itself. */
async function askToRetry(message: string): Promise<boolean> {
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 30_000));
  const choice = await Promise.race([vscode.window.showWarningMessage(`Incident Triage: ${message} Retry the step? (stops in 30 s)`, 'Retry now', 'Cancel'), timeout]);
  return choice === 'Retry now';
}

/**
 * The engine (SDK, tools, price data) is a bundle of its own, dist/engine.js, required on the
 * first run rather than parsed at activation. The build keeps this require external.
 */
export function loadEngine(): typeof import('./engine') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a require the bundler leaves alone; import() would be bundled
  return require('./engine.js') as typeof import('./engine');
}

/** VS Code ships ripgrep; the log tools delegate search to it. */
function bundledRipgrep(): string | undefined {
  const name = process.platform === 'win32' ? 'rg.exe' : 'rg';
  for (const modules of ['node_modules', 'node_modules.asar.unpacked']) {
    const candidate = path.join(vscode.env.appRoot, modules, '@vscode', 'ripgrep', 'bin', name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

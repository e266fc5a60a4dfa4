import { realpath, stat } from 'node:fs/promises';
import type { TriageEvent } from '../shared/events';
import { resolveInWorkspace } from '../security/confinement';
import { checkHeaderSecret } from '../security/headerSecret';
import { findRipgrepOnPath } from '../tools/logs/ripgrep';
import { ConversationFileError, continueRun, previewTriage, startTriage, type Conversation, type EngineConfig, type ToolSettings, type TriageRequest } from '../engine/startTriage';
import { UsageError, type TriageOptions } from './args';
import { HumanRenderer } from './humanRenderer';
import { cliApproval, withMcpServers } from './mcpServers';
import { createStyle } from './terminal';

export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
}

/** Which API a run talks to: the real one with the user's key, or the demo's local replay. */
export interface ApiConnection {
  apiKey: string;
  baseUrl?: string;
}

/** Shared by `triage` and `demo`: runs the engine on the workspace and renders its events. */
export async function runAndRender(api: ApiConnection, options: TriageOptions, io: CliIo, replay?: { banner: string; now: () => Date }): Promise<number> {
  return withMcpServers(options, io, async (mcp) => renderRun({ ...(await engineConfig(api, options, io)), ...(mcp ? { mcp } : {}) }, options, io, replay));
}

async function renderRun(config: EngineConfig, options: TriageOptions, io: CliIo, replay?: { banner: string; now: () => Date }): Promise<number> {
  const logFile = options.log ? (await resolveInWorkspace(config.workspaceRoots, options.log).catch((err: Error) => Promise.reject(new UsageError(`--log: ${err.message}`)))).relative : undefined;
  const followUp = options.continueRun ? pastConversation(options.ledger!, options.continueRun) : undefined;
  const session = startTriage({ ...triageRequest(options), logFile, ...(followUp ? { followUp } : {}) }, { ...config, ...(replay ? { now: replay.now } : {}) }, io.signal);
  const renderer = options.json ? undefined : new HumanRenderer(io.stdout, createStyle(Boolean(io.stdout.isTTY) && !io.env.NO_COLOR));
  if (replay && renderer) io.stdout.write(`${replay.banner}\n`);

  let finished: Extract<TriageEvent, { type: 'run_finished' }> | undefined;
  let reported = false;
  for await (const event of session.events) {
    if (renderer) renderer.render(event);
    else io.stdout.write(`${JSON.stringify(event)}\n`);
    if (event.type === 'report') reported = true;
    if (event.type === 'run_finished') finished = event;
  }
  if (session.ledgerPath && renderer) io.stdout.write(`\nLedger: ${session.ledgerPath}\n`);
  return exitCodeOf(finished, reported, io);
}

/** `--dry-run`: the first request as it would be sent, redactions visible, nothing sent. */
export async function printPreview(api: ApiConnection, options: TriageOptions, io: CliIo): Promise<number> {
  // The MCP servers are started too: their tool definitions are part of the first request.
  const request = await withMcpServers(options, io, async (mcp) =>
    previewTriage({ ...triageRequest(options), logFile: options.log }, { ...(await engineConfig(api, options, io)), ...(mcp ? { mcp } : {}) }),
  );
  io.stdout.write(`${JSON.stringify(request, null, 2)}\n`);
  return 0;
}

/** A secret from the environment, trimmed; refused (without echoing it) when it could not be sent as a header. */
export function checkedSecret(raw: string, name: string): string {
  const checked = checkHeaderSecret(raw, name);
  if (!checked.ok) throw new UsageError(checked.problem);
  return checked.key;
}

function triageRequest(options: TriageOptions): TriageRequest {
  const budget = options.budgetUsd !== undefined || options.budgetTokens !== undefined ? { maxUsd: options.budgetUsd, maxTokens: options.budgetTokens } : undefined;
  return { description: options.description, model: options.model, fallbackModel: options.fallbackModel, maxSteps: options.maxSteps, thinking: options.thinking, cacheTtl: options.cacheTtl, budget };
}

async function engineConfig(api: ApiConnection, options: TriageOptions, io: CliIo): Promise<EngineConfig> {
  const workspace = await checkedWorkspace(options.workspace);
  return {
    ...api,
    workspaceRoots: [workspace],
    tools: cliToolSettings(options, io),
    ...(options.pricing ? { pricing: options.pricing } : {}),
    ...(options.ledger ? { ledger: { dir: options.ledger } } : {}),
    ...(options.toolTimeoutSeconds ? { toolTimeoutMs: options.toolTimeoutSeconds * 1000 } : {}),
    ...(options.streamTimeoutSeconds ? { idleTimeoutMs: options.streamTimeoutSeconds * 1000 } : {}),
    approve: cliApproval(options),
  };
}

/** The tools' settings from the flags and the environment, as `triage` and `mcp` both use them: ripgrep on PATH, --log-glob, Prometheus with its token. */
export function cliToolSettings(options: TriageOptions, io: CliIo): ToolSettings {
  const token = io.env.PROMETHEUS_BEARER_TOKEN ? checkedSecret(io.env.PROMETHEUS_BEARER_TOKEN, 'PROMETHEUS_BEARER_TOKEN') : undefined;
  return {
    logs: { ripgrepPath: findRipgrepOnPath(io.env), ...(options.logGlobs ? { globs: options.logGlobs } : {}) },
    ...(options.prometheusUrl ? { prometheus: { url: options.prometheusUrl, ...(token ? { bearerToken: token } : {}) } } : {}),
  };
}

/**
 * The exit code comes from the run's end and nothing else: 0 only when run_finished came after a
 * report (its reason says whether the step cap or a budget asked for the report early).
 */
function exitCodeOf(finished: Extract<TriageEvent, { type: 'run_finished' }> | undefined, reported: boolean, io: CliIo): number {
  if (!finished) {
    io.stderr.write('incident-triage: the run ended without run_finished; treating it as a failure.\n');
    return 1;
  }
  return reported ? 0 : 1;
}

export async function checkedWorkspace(dir: string): Promise<string> {
  const real = await realpath(dir).catch(() => {
    throw new UsageError(`--workspace "${dir}" does not exist.`);
  });
  if (!(await stat(real)).isDirectory()) throw new UsageError(`--workspace "${dir}" is not a folder.`);
  return real;
}

/** The conversation --continue names, or a usage error saying why it cannot be continued. */
function pastConversation(ledger: string, runId: string): Conversation {
  try {
    return continueRun(ledger, runId);
  } catch (err) {
    if (err instanceof ConversationFileError) throw new UsageError(`--continue: ${err.message}`);
    throw err;
  }
}

import { realpath, stat } from 'node:fs/promises';
import Anthropic from '@anthropic-ai/sdk';
import type { TriageEvent } from '../shared/events';
import { previewRequest, runTriage, type TriageRequest } from '../agent/runTriage';
import path from 'node:path';
import { CostLedger, recordFromUsage, toCsv } from '../cost/costLedger';
import { describeSavings, formatUsd } from '../cost/format';
import { EventLog } from '../ledger/eventLog';
import { checkHeaderSecret } from '../security/headerSecret';
import { resolveInWorkspace } from '../security/confinement';
import { createDefaultRegistry } from '../tools/defaultRegistry';
import type { PrometheusSettings } from '../tools/metrics/prometheus';
import { findRipgrepOnPath } from '../tools/logs/ripgrep';
import { USAGE, UsageError, parseCliArgs, type TriageOptions } from './args';
import { runDemo } from './demo';
import { HumanRenderer } from './humanRenderer';
import { createStyle } from './terminal';

export interface CliIo {
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown };
  env: NodeJS.ProcessEnv;
  /** Aborted on Ctrl-C. */
  signal?: AbortSignal;
}

/** Runs the CLI and resolves to its exit code: 0 report, 1 failed run, 2 usage error. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let options: TriageOptions | 'help';
  try {
    options = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`incident-triage: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (options.command === 'demo') return await runDemo(options, io);
    if (options.command === 'cost') return printCost(options, io);
    return await runTriageCommand(options, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`incident-triage: ${err.message}\n`);
    return 2;
  }
}

async function runTriageCommand(options: TriageOptions, io: CliIo): Promise<number> {
  const apiKey = io.env.ANTHROPIC_API_KEY ? checkedSecret(io.env.ANTHROPIC_API_KEY, 'ANTHROPIC_API_KEY') : undefined;
  if (options.dryRun) return printPreview(new Anthropic({ apiKey: apiKey ?? 'dry-run', baseURL: io.env.ANTHROPIC_BASE_URL || undefined, maxRetries: 0 }), options, io);
  if (!apiKey) throw new UsageError('ANTHROPIC_API_KEY is not set. Export your Anthropic API key, or run `incident-triage demo` to see a recorded run.');
  // The engine's retry policy is the only one: the SDK's own retries stay off.
  const client = new Anthropic({ apiKey, baseURL: io.env.ANTHROPIC_BASE_URL || undefined, maxRetries: 0 });
  return runAndRender(client, options, io);
}

/** Shared by `triage` and `demo`: runs the engine on the workspace and renders its events. */
export async function runAndRender(client: Anthropic, options: TriageOptions, io: CliIo, replay?: { banner: string; now: () => Date }): Promise<number> {
  const workspace = await checkedWorkspace(options.workspace);
  const logFile = options.log ? (await resolveInWorkspace([workspace], options.log).catch((err: Error) => Promise.reject(new UsageError(`--log: ${err.message}`)))).relative : undefined;
  const budget = options.budgetUsd !== undefined || options.budgetTokens !== undefined ? { maxUsd: options.budgetUsd, maxTokens: options.budgetTokens } : undefined;
  const request: TriageRequest = { description: options.description, logFile, model: options.model, fallbackModel: options.fallbackModel, maxSteps: options.maxSteps, thinking: options.thinking, cacheTtl: options.cacheTtl, budget };
  const logs = { ripgrepPath: findRipgrepOnPath(io.env), ...(options.logGlobs ? { globs: options.logGlobs } : {}) };
  const prometheus = prometheusSettings(options, io);
  const run = runTriage(request, {
    client,
    tools: createDefaultRegistry(),
    workspaceRoots: [workspace],
    signal: io.signal,
    logs,
    metrics: { prometheus },
    pricing: options.pricing,
    ...(options.toolTimeoutSeconds ? { toolTimeoutMs: options.toolTimeoutSeconds * 1000 } : {}),
    ...(options.streamTimeoutSeconds ? { idleTimeoutMs: options.streamTimeoutSeconds * 1000 } : {}),
    ...(replay ? { now: replay.now } : {}),
  });
  const ledger = options.ledger ? new EventLog(options.ledger, run.runId) : undefined;
  const costs = options.ledger ? new CostLedger(costLedgerPath(options.ledger)) : undefined;
  const renderer = options.json ? undefined : new HumanRenderer(io.stdout, createStyle(Boolean(io.stdout.isTTY) && !io.env.NO_COLOR));
  if (replay && renderer) io.stdout.write(`${replay.banner}\n`);

  let finished: Extract<TriageEvent, { type: 'run_finished' }> | undefined;
  let reported = false;
  for await (const event of run) {
    ledger?.append(event);
    if (event.type === 'usage') costs?.add(recordFromUsage(event, run.runId));
    if (renderer) renderer.render(event);
    else io.stdout.write(`${JSON.stringify(event)}\n`);
    if (event.type === 'report') reported = true;
    if (event.type === 'run_finished') finished = event;
  }
  if (ledger && renderer) io.stdout.write(`\nLedger: ${ledger.path}\n`);
  return exitCodeOf(finished, reported, io);
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

function prometheusSettings(options: TriageOptions, io: CliIo): PrometheusSettings | undefined {
  const token = io.env.PROMETHEUS_BEARER_TOKEN ? checkedSecret(io.env.PROMETHEUS_BEARER_TOKEN, 'PROMETHEUS_BEARER_TOKEN') : undefined;
  return options.prometheusUrl ? { url: options.prometheusUrl, ...(token ? { bearerToken: token } : {}) } : undefined;
}

/** A secret from the environment, trimmed; refused (without echoing it) when it could not be sent as a header. */
function checkedSecret(raw: string, name: string): string {
  const checked = checkHeaderSecret(raw, name);
  if (!checked.ok) throw new UsageError(checked.problem);
  return checked.key;
}

/** `--dry-run`: the first request as it would be sent, redactions visible, nothing sent. */
async function printPreview(client: Anthropic, options: TriageOptions, io: CliIo): Promise<number> {
  const workspace = await checkedWorkspace(options.workspace);
  const request = await previewRequest(
    { description: options.description, logFile: options.log, model: options.model, thinking: options.thinking, cacheTtl: options.cacheTtl },
    { client, tools: createDefaultRegistry(), workspaceRoots: [workspace], metrics: { prometheus: prometheusSettings(options, io) } },
  );
  io.stdout.write(`${JSON.stringify(request, null, 2)}\n`);
  return 0;
}

const costLedgerPath = (dir: string) => path.join(dir, 'cost-ledger.jsonl');

/** `incident-triage cost`: all-time totals of the cost ledger, or every call as CSV. */
function printCost(options: TriageOptions, io: CliIo): number {
  const ledger = new CostLedger(costLedgerPath(options.ledger!));
  if (options.csv) {
    io.stdout.write(toCsv(ledger.records));
    return 0;
  }
  const s = ledger.summary({ kind: 'all' });
  const runs = new Set(ledger.records.map((r) => r.runId)).size;
  const ms = (v: number | null) => (v === null ? '—' : `${v} ms`);
  io.stdout.write(
    [
      `${s.calls} API calls in ${runs} runs: ${formatUsd(s.costUsd)}${s.unpricedCalls ? ` (+ ${s.unpricedCalls} calls of unknown price)` : ''}; ${describeSavings(s.savedUsd)}`,
      `tokens: input ${s.inputTokens.toLocaleString('en-US')}, cache write ${s.cacheWriteTokens.toLocaleString('en-US')}, cache read ${s.cacheReadTokens.toLocaleString('en-US')}, output ${s.outputTokens.toLocaleString('en-US')}; cache hit rate ${(100 * s.cacheHitRate).toFixed(1)}%`,
      `time to first token p50 ${ms(s.ttftMs.p50)}, p95 ${ms(s.ttftMs.p95)}; total p50 ${ms(s.totalMs.p50)}, p95 ${ms(s.totalMs.p95)}`,
      ...(ledger.skippedLines ? [`(${ledger.skippedLines} unreadable ledger lines skipped)`] : []),
    ].join('\n') + '\n',
  );
  return 0;
}

async function checkedWorkspace(dir: string): Promise<string> {
  const real = await realpath(dir).catch(() => {
    throw new UsageError(`--workspace "${dir}" does not exist.`);
  });
  if (!(await stat(real)).isDirectory()) throw new UsageError(`--workspace "${dir}" is not a folder.`);
  return real;
}

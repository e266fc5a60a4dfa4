import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import type { TriageEvent } from '../shared/events';
import type { TriageReport } from '../shared/report';
import type { PriceOverrides } from '../shared/pricing';
import type { Conversation } from '../agent/conversation';
import { previewRequest, type TriageRequest } from '../agent/opening';
import { runTriage, type TriageDeps, type TriageRun } from '../agent/runTriage';
import { CostLedger, recordFromUsage } from '../cost/costLedger';
import { EventLog } from '../ledger/eventLog';
import { loadConversation, saveConversation } from '../ledger/conversationFile';
import { messagesOf, toConversation } from '../agent/conversation';
import type { McpHub } from '../tools/mcp/mcpHub';
import { createToolRegistry, type ToolSettings } from './toolRegistry';

export type { Conversation } from '../agent/conversation';
export type { TriageRequest } from '../agent/opening';
export type { ToolSettings } from './toolRegistry';

/** Everything a run needs from its host, the CLI or VS Code; each reads it from its own flags or settings. */
export interface EngineConfig {
  /** Already checked to be sendable as a header (see security/headerSecret.ts). */
  apiKey: string;
  /** Another Messages API endpoint (a gateway, the demo's replay server, a test server). */
  baseUrl?: string;
  workspaceRoots: readonly string[];
  tools?: ToolSettings;
  pricing?: PriceOverrides;
  /** Where runs are recorded: every event to `<dir>/runs/<run id>.jsonl`, every API call's cost to `<dir>/cost-ledger.jsonl`. */
  ledger?: { dir: string; /** The open cost ledger, when the host keeps one for its views. */ costs?: CostLedger };
  toolTimeoutMs?: TriageDeps['toolTimeoutMs'];
  idleTimeoutMs?: TriageDeps['idleTimeoutMs'];
  approve?: TriageDeps['approve'];
  onRetryExhausted?: TriageDeps['onRetryExhausted'];
  /** The run's clock (the demo pins it to the recording's time). */
  now?: () => Date;
  /** MCP servers already started by the host: their tools are offered after ours; the host stops them. */
  mcp?: McpHub;
}

/** A started run. Its events are recorded in the ledgers before any consumer sees them. */
export interface TriageSession {
  readonly runId: string;
  readonly events: AsyncIterable<TriageEvent>;
  /** The conversation so far, for a follow-up question (`request.followUp`). */
  readonly conversation: Conversation;
  readonly report: TriageReport | undefined;
  /** The run's event log, when the config has a ledger. */
  readonly ledgerPath: string | undefined;
}

/**
 * The engine's one composition root: the client with its invariants, the tool registry with
 * each family's settings bound, the ledgers. The CLI and the VS Code adapter both start runs
 * here and only here.
 */
export function startTriage(request: TriageRequest, config: EngineConfig, signal?: AbortSignal): TriageSession {
  const run = runTriage(request, depsFor(config, signal));
  const log = config.ledger ? new EventLog(config.ledger.dir, run.runId) : undefined;
  const costs = config.ledger ? (config.ledger.costs ?? new CostLedger(costLedgerPath(config.ledger.dir))) : undefined;
  return {
    runId: run.runId,
    events: recorded(run, log, costs, config.ledger?.dir),
    get conversation() {
      return run.conversation;
    },
    get report() {
      return run.report;
    },
    ledgerPath: log?.path,
  };
}

/** The first request a triage would send, secrets already redacted, without sending anything. */
export function previewTriage(request: TriageRequest, config: EngineConfig): Promise<Anthropic.MessageCreateParamsStreaming> {
  return previewRequest(request, depsFor(config));
}

export const costLedgerPath = (dir: string): string => path.join(dir, 'cost-ledger.jsonl');

/**
 * The client every run uses. Retries are off: the engine's retry policy (agent/retryPolicy.ts)
 * is the only one, so a wait is always announced, cancellable and counted.
 */
export function createClient(apiKey: string, baseUrl?: string): Anthropic {
  return new Anthropic({ apiKey, baseURL: baseUrl || undefined, maxRetries: 0 });
}

function depsFor(config: EngineConfig, signal?: AbortSignal): TriageDeps {
  // The run-level fields (pricing, timeouts, callbacks, clock) pass through under the same names.
  const { apiKey, baseUrl, tools, ledger: _ledger, mcp, ...run } = config;
  return {
    ...run,
    client: createClient(apiKey, baseUrl),
    tools: createToolRegistry(tools, mcp?.tools, mcp ? { unavailable: (name) => mcp.unavailable(name) } : {}),
    // The first look reads the files the log tools would.
    logSettings: { ...tools?.logs, exclude: tools?.exclude },
    // The run masks these by value wherever they appear, besides the API key.
    secrets: [tools?.prometheus?.bearerToken, ...(mcp?.secrets ?? [])],
    signal,
  };
}

async function* recorded(run: TriageRun, log: EventLog | undefined, costs: CostLedger | undefined, ledgerDir: string | undefined): AsyncGenerator<TriageEvent> {
  for await (const event of run) {
    log?.append(event);
    if (event.type === 'usage') costs?.add(recordFromUsage(event, run.runId));
    // Kept before the run's last event goes out, so whoever reads run_finished can continue the run.
    if (event.type === 'run_finished' && ledgerDir) saveConversation(ledgerDir, run.runId, messagesOf(run.conversation));
    yield event;
  }
}

/** A past run's conversation from the ledger, for a follow-up question (`request.followUp`). Throws a ConversationFileError saying why it cannot. */
export function continueRun(ledgerDir: string, runId: string): Conversation {
  return toConversation(loadConversation(ledgerDir, runId) as Anthropic.MessageParam[]);
}

export { ConversationFileError } from '../ledger/conversationFile';

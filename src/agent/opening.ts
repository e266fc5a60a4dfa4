import path from 'node:path';
import type Anthropic from '@anthropic-ai/sdk';
import type { FirstLook } from '../shared/firstLook';
import type { CacheTtl, RunBudget, ThinkingSetting } from '../shared/settings';
import { DEFAULTS } from '../shared/settings';
import { REPORT_TOOL_NAME } from '../shared/report';
import { redactorFor } from '../security/knownSecrets';
import type { Redact } from '../security/redaction';
import type { LogToolSettings } from '../tools/logs/settings';
import type { ToolRegistry } from '../tools/registry';
import { messagesOf, type Conversation } from './conversation';
import { planModel, type ModelPlan } from './modelProfile';
import { computeFirstLook } from './firstLook/firstLook';
import { firstLookLines } from './firstLook/firstLookLines';
import { redactFirstLook } from './firstLook/redactFirstLook';
import { incidentMessage } from './prompt';
import { announceBoundary, wrapToolOutput } from './toolOutputBoundary';
import { buildRequest } from './request';
import { Transcript } from './transcript';

export interface TriageRequest {
  description: string;
  /** Workspace-relative or absolute path of a log file to start from. */
  logFile?: string;
  model?: string;
  maxSteps?: number;
  thinking?: ThinkingSetting;
  maxOutputTokens?: number;
  /** An earlier run's conversation: the description is then a follow-up question in it. */
  followUp?: Conversation;
  /** Used for the rest of the run when the primary model is repeatedly overloaded (529). */
  fallbackModel?: string;
  /** Prompt-cache lifetime: 5 minutes (default), 1 hour for incidents with long human pauses, or off. */
  cacheTtl?: CacheTtl;
  /** Per-run limits; near them the report is requested early and the run ends with reason `budget`. */
  budget?: RunBudget;
  /** False: no first look at the logs before the first step (the cost benchmark's "before"). Follow-ups never get one. */
  firstLook?: boolean;
}

/** What the opening of a run needs to know about its surroundings. */
export interface OpeningContext {
  client: Anthropic;
  /** Must include `submit_triage_report`. */
  tools: ToolRegistry;
  workspaceRoots: readonly string[];
  /** Secrets the run holds besides the client's key (a Prometheus token): masked by value wherever they appear. */
  secrets?: readonly (string | undefined)[];
  now?: () => Date;
  signal?: AbortSignal;
  /** The log tools' settings (globs, excluded folders): the first look reads the files the tools would. */
  logSettings?: LogToolSettings;
  /** Wall-clock budget of the first look (default about a second); tests lower it. */
  firstLookBudgetMs?: number;
}

/** A conversation ready for its first step: the first request of a run, and of its preview, is built from this. */
export interface Opening {
  redact: Redact;
  /** The description as sent (secrets replaced), and how many were. */
  description: { text: string; count: number };
  plan: ModelPlan;
  transcript: Transcript;
  /** The engine's first look at the logs, redacted, as the first message gives it to the model; none for a follow-up. */
  firstLook?: FirstLook;
}

/**
 * Opens a run: redacts the description, plans the model (output cap, thinking as the model
 * supports it), takes the first look at the logs (meanwhile) and writes the first user message.
 * The run and `--dry-run` both start here, so the preview is the first request, not a re-creation of it.
 */
export async function openConversation(request: TriageRequest, context: OpeningContext, redact: Redact = runRedactor(context)): Promise<Opening> {
  if (!context.tools.has(REPORT_TOOL_NAME)) throw new Error(`The tool registry must include ${REPORT_TOOL_NAME}`);
  const [description, plan, firstLook] = await Promise.all([
    // The description can hold a pasted token or connection string: redacted like log lines.
    redact(request.description),
    planModel(context.client, request.model ?? DEFAULTS.model, request, context.signal),
    request.followUp || request.firstLook === false ? undefined : lookFirst(request, context, redact),
  ]);
  const history = request.followUp ? messagesOf(request.followUp) : [];
  const transcript = new Transcript(history);
  transcript.appendUser([{ type: 'text', text: firstUserText(request, context, description.text, transcript, history.length > 0, firstLook) }]);
  return { redact, description, plan, transcript, ...(firstLook ? { firstLook } : {}) };
}

/** The first look, redacted like a tool result: it quotes log lines. It never fails the run (failures are its notes). */
async function lookFirst(request: TriageRequest, context: OpeningContext, redact: Redact): Promise<FirstLook> {
  const look = await computeFirstLook(
    { description: request.description, ...(request.logFile ? { logFile: request.logFile } : {}) },
    {
      workspaceRoots: context.workspaceRoots,
      nowMs: (context.now?.() ?? new Date()).getTime(),
      ...(context.logSettings ? { settings: context.logSettings } : {}),
      ...(context.signal ? { signal: context.signal } : {}),
      ...(context.firstLookBudgetMs !== undefined ? { budgetMs: context.firstLookBudgetMs } : {}),
    },
  );
  return redactFirstLook(look, redact);
}

/** The secrets this run holds (its API key, a Prometheus token) by value, then secrets by shape. */
export function runRedactor(context: Pick<OpeningContext, 'client' | 'secrets'>): Redact {
  return redactorFor([context.client.apiKey, ...(context.secrets ?? [])]);
}

/** One step's request from the plan and the transcript as it stands. */
export function stepRequest(
  plan: ModelPlan,
  tools: ToolRegistry,
  transcript: Transcript,
  options: { maxTokens?: number; forceReport?: boolean; cacheTtl?: CacheTtl } = {},
): Anthropic.MessageCreateParamsStreaming {
  return buildRequest({
    model: plan.model,
    maxTokens: Math.min(options.maxTokens ?? plan.maxTokens, plan.maxTokens),
    tools: tools.definitions(),
    messages: transcript.messages,
    thinking: plan.thinking.param,
    toolChoice: options.forceReport ? { type: 'tool', name: REPORT_TOOL_NAME } : undefined,
    cacheTtl: options.cacheTtl,
  });
}

/**
 * Exactly what the first API call of this request would send — tools, system prompt, the
 * incident message with every secret already replaced by [REDACTED:kind] — without sending it.
 */
export async function previewRequest(request: TriageRequest, context: OpeningContext): Promise<Anthropic.MessageCreateParamsStreaming> {
  const opening = await openConversation(request, context);
  return stepRequest(opening.plan, context.tools, opening.transcript, { cacheTtl: request.cacheTtl });
}

const FIRST_LOOK_HEADING = "The engine's first look at the logs, computed locally before this conversation:";

/** The user message that starts a request: the incident with its context and the first look, or a follow-up question as asked. */
function firstUserText(request: TriageRequest, context: OpeningContext, description: string, transcript: Transcript, followUp: boolean, firstLook: FirstLook | undefined): string {
  const { boundary } = transcript;
  if (followUp) return boundary.announced ? description : `${description}\n\n${announceBoundary(boundary.value)}`;
  return incidentMessage({
    description,
    logFile: request.logFile,
    workspaceFolders: context.workspaceRoots.map((root) => path.basename(root)),
    now: context.now?.() ?? new Date(),
    // Log text: delimited like a tool result, with this conversation's boundary.
    ...(firstLook ? { firstLook: `${FIRST_LOOK_HEADING}\n${wrapToolOutput('first_look', firstLookLines(firstLook).join('\n'), boundary.value)}` } : {}),
    boundaryAnnouncement: announceBoundary(boundary.value),
  });
}

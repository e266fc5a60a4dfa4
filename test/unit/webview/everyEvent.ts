import type { TriageEvent, TriageEventType } from '../../../src/shared/events';
import { sampleFirstLook } from '../../fixtures/firstLook';
import { verifiedReport } from '../../fixtures/reports';

type Member<K extends TriageEventType> = Extract<TriageEvent, { type: K }>;

/**
 * One complete event of every type, every optional field set. Keyed by type, so a new member of
 * the union fails the type-check here until it has an example.
 */
export const everyEvent: { [K in TriageEventType]: Member<K> } = {
  run_started: {
    type: 'run_started',
    runId: 'r-1',
    model: 'claude-sonnet-5-5',
    description: 'Checkout is down',
    descriptionRedactions: 1,
    logFile: 'logs/app.log',
    maxSteps: 12,
    thinking: 'off',
    startedAt: '2026-11-20T14:20:00.000Z',
  },
  first_look: { type: 'first_look', firstLook: sampleFirstLook() },
  step_started: { type: 'step_started', step: 1, model: 'claude-sonnet-5-5', forcedReport: false, attempt: 2 },
  retrying: { type: 'retrying', step: 1, attempt: 2, delayMs: 5, reason: 'Overloaded (529).' },
  model_fallback: { type: 'model_fallback', step: 1, from: 'claude-sonnet-5-5', to: 'claude-haiku-4-5', reason: 'Overloaded twice' },
  thinking_delta: { type: 'thinking_delta', step: 1, text: 'Look at payments.' },
  text_delta: { type: 'text_delta', step: 1, text: 'Searching the logs.' },
  tool_call_started: { type: 'tool_call_started', step: 1, id: 'toolu_1', name: 'search_logs' },
  tool_input_delta: { type: 'tool_input_delta', step: 1, id: 'toolu_1', partialJson: '{"query":' },
  tool_call_ready: { type: 'tool_call_ready', step: 1, id: 'toolu_1', name: 'search_logs', input: { query: 'error' } },
  tool_result: {
    type: 'tool_result',
    step: 1,
    id: 'toolu_1',
    name: 'search_logs',
    ok: true,
    durationMs: 12,
    input: { query: 'error' },
    resultHash: 'ab'.repeat(32),
    preview: 'logs/app.log:3 ERROR boom',
    truncationNote: '[2 more matches]',
    redactions: 1,
    data: { kind: 'series', label: 'x', points: [] },
  },
  usage: {
    type: 'usage',
    step: 1,
    model: 'claude-sonnet-5-5',
    requestId: 'req_1',
    requestHash: 'cd'.repeat(32),
    usage: { inputTokens: 10, cacheCreationInputTokens: 5, cacheCreation5mInputTokens: 5, cacheCreation1hInputTokens: 0, cacheReadInputTokens: 100, outputTokens: 20 },
    stopReason: 'tool_use',
    timeToFirstTokenMs: 300,
    totalMs: 900,
    costUsd: 0.0123,
    uncachedCostUsd: 0.02,
    pricedAs: 'claude-sonnet-5-5',
  },
  report: { type: 'report', step: 2, report: verifiedReport() },
  run_finished: { type: 'run_finished', reason: 'report', steps: 2, durationMs: 4200, message: 'Report ready.', costUsd: 0.05, tokens: 1200 },
  error: { type: 'error', step: 1, message: 'The API key was rejected.' },
};

/** The fields each type may leave out; every other field is required. */
export const optionalFields: { [K in TriageEventType]: readonly Exclude<keyof Member<K>, 'type'>[] } = {
  run_started: ['descriptionRedactions', 'logFile'],
  first_look: [],
  step_started: ['attempt'],
  retrying: [],
  model_fallback: [],
  thinking_delta: [],
  text_delta: [],
  tool_call_started: [],
  tool_input_delta: [],
  tool_call_ready: [],
  tool_result: ['input', 'resultHash', 'truncationNote', 'redactions', 'data'],
  usage: ['requestId', 'requestHash', 'pricedAs'],
  report: [],
  run_finished: [],
  error: [],
};

/** Fields that may hold anything (the tool's arguments, the tool's chart data). */
export const anyValueFields: { [K in TriageEventType]?: readonly (keyof Member<K>)[] } = {
  tool_call_ready: ['input'],
  tool_result: ['input', 'data'],
};

import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { LineFormat } from '../shared/versionedLines';
import { callRecordSchema } from '../shared/costRecordSchemas';
import type { TriageEvent } from '../shared/events';
import type { CallRecord, CostSummary, Scope } from '../shared/costRecord';

export type { CallRecord, CostSummary, Scope };

type UsageEvent = Extract<TriageEvent, { type: 'usage' }>;

export function recordFromUsage(event: UsageEvent, runId: string, time: Date = new Date()): CallRecord {
  const u = event.usage;
  const allInput = u.inputTokens + u.cacheCreationInputTokens + u.cacheReadInputTokens;
  const generating = event.totalMs - (event.timeToFirstTokenMs ?? 0);
  return {
    time: time.toISOString(),
    runId,
    step: event.step,
    model: event.model,
    pricedAs: event.pricedAs ?? null,
    inputTokens: u.inputTokens,
    cacheWrite5mTokens: u.cacheCreation5mInputTokens,
    cacheWrite1hTokens: u.cacheCreation1hInputTokens,
    cacheReadTokens: u.cacheReadInputTokens,
    outputTokens: u.outputTokens,
    costUsd: event.costUsd,
    uncachedCostUsd: event.uncachedCostUsd,
    ttftMs: event.timeToFirstTokenMs,
    totalMs: event.totalMs,
    outputTokensPerSecond: generating > 0 ? Math.round((u.outputTokens / generating) * 1000 * 10) / 10 : null,
    cacheHitShare: allInput ? u.cacheReadInputTokens / allInput : 0,
  };
}

/** Version 0 (lines without `v`) and version 1 hold the same records: versioning began with 1. */
const COST_LEDGER = new LineFormat<CallRecord>([callRecordSchema, callRecordSchema]);

/**
 * The per-call cost ledger: appended to as calls finish (one JSON line each, so totals survive a
 * reload), aggregated per run, per session (since this ledger was opened) and all-time.
 */
export class CostLedger {
  private readonly all: CallRecord[] = [];
  private sessionStart = 0;
  /** Lines of the file that could not be read (truncated by a crash, edited by hand, written by a newer version): skipped. */
  readonly skippedLines: number = 0;
  /** Of `skippedLines`, those written by a newer version of the extension or CLI. */
  readonly newerLines: number = 0;

  constructor(private readonly file?: string) {
    if (file && existsSync(file)) {
      const { records, skipped, newer } = COST_LEDGER.parse(readFileSync(file, 'utf8'));
      this.all.push(...records);
      this.skippedLines = skipped;
      this.newerLines = newer;
    }
    this.sessionStart = this.all.length;
  }

  get records(): readonly CallRecord[] {
    return this.all;
  }

  add(record: CallRecord): void {
    this.all.push(record);
    if (this.file) {
      mkdirSync(path.dirname(this.file), { recursive: true });
      appendFileSync(this.file, COST_LEDGER.line(record));
    }
  }

  select(scope: Scope): CallRecord[] {
    if (scope.kind === 'run') return this.all.filter((r) => r.runId === scope.runId);
    return scope.kind === 'session' ? this.all.slice(this.sessionStart) : [...this.all];
  }

  summary(scope: Scope): CostSummary {
    return summarize(this.select(scope));
  }

  /** Starts afresh; the old ledger file is kept beside it as `.bak`. */
  reset(): void {
    if (this.file && existsSync(this.file)) renameSync(this.file, `${this.file}.bak`);
    this.all.length = 0;
    this.sessionStart = 0;
  }
}

export function summarize(records: readonly CallRecord[]): CostSummary {
  const sum = (f: (r: CallRecord) => number) => records.reduce((a, r) => a + f(r), 0);
  const priced = records.filter((r) => r.costUsd !== null);
  const input = sum((r) => r.inputTokens + r.cacheWrite5mTokens + r.cacheWrite1hTokens + r.cacheReadTokens);
  const ttfts = records.map((r) => r.ttftMs).filter((x): x is number => x !== null);
  const totals = records.map((r) => r.totalMs);
  return {
    calls: records.length,
    inputTokens: sum((r) => r.inputTokens),
    cacheWriteTokens: sum((r) => r.cacheWrite5mTokens + r.cacheWrite1hTokens),
    cacheReadTokens: sum((r) => r.cacheReadTokens),
    outputTokens: sum((r) => r.outputTokens),
    costUsd: priced.reduce((a, r) => a + r.costUsd!, 0),
    unpricedCalls: records.length - priced.length,
    savedUsd: priced.reduce((a, r) => a + (r.uncachedCostUsd ?? r.costUsd!) - r.costUsd!, 0),
    cacheHitRate: input ? sum((r) => r.cacheReadTokens) / input : 0,
    ttftMs: { p50: percentile(ttfts, 50), p95: percentile(ttfts, 95) },
    totalMs: { p50: percentile(totals, 50), p95: percentile(totals, 95) },
  };
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const CSV_COLUMNS: (keyof CallRecord)[] = [
  'time',
  'runId',
  'step',
  'model',
  'pricedAs',
  'inputTokens',
  'cacheWrite5mTokens',
  'cacheWrite1hTokens',
  'cacheReadTokens',
  'outputTokens',
  'costUsd',
  'uncachedCostUsd',
  'ttftMs',
  'totalMs',
  'outputTokensPerSecond',
  'cacheHitShare',
];

/** RFC 4180 CSV, one row per call; an unknown cost is an empty cell, never 0. */
export function toCsv(records: readonly CallRecord[]): string {
  const cell = (v: CallRecord[keyof CallRecord]) => {
    if (v === null) return '';
    const text = String(v);
    return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return [CSV_COLUMNS.join(','), ...records.map((r) => CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

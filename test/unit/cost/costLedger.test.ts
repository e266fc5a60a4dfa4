import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CostLedger, percentile, recordFromUsage, toCsv } from '../../../src/cost/costLedger';
import type { TriageEvent } from '../../../src/shared/events';

/** A cost ledger as it was written before lines carried a version: the six calls of a demo run. */
const V0_LEDGER = path.join(__dirname, 'fixtures', 'cost-ledger-v0.jsonl');

const usageEvent = (over: Partial<Extract<TriageEvent, { type: 'usage' }>> = {}): Extract<TriageEvent, { type: 'usage' }> => ({
  type: 'usage',
  step: 1,
  model: 'claude-sonnet-4-5',
  usage: { inputTokens: 100, cacheCreationInputTokens: 1000, cacheCreation5mInputTokens: 1000, cacheCreation1hInputTokens: 0, cacheReadInputTokens: 8900, outputTokens: 200 },
  stopReason: 'tool_use',
  timeToFirstTokenMs: 400,
  totalMs: 2400,
  costUsd: 0.01,
  uncachedCostUsd: 0.033,
  ...over,
});

describe('CostLedger', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'triage-cost-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('derives a record per call: hit share and output speed from the usage and timings', () => {
    const r = recordFromUsage(usageEvent(), 'run-1', new Date('2026-11-20T14:00:00Z'));
    assert.equal(r.cacheHitShare, 0.89);
    assert.equal(r.outputTokensPerSecond, 100, '200 tokens in the 2 s after the first token');
    assert.equal(r.time, '2026-11-20T14:00:00.000Z');
  });

  it('aggregates per run, per session and all-time, and survives a reload with a corrupt line', () => {
    const file = path.join(dir, 'cost-ledger.jsonl');
    const first = new CostLedger(file);
    first.add(recordFromUsage(usageEvent(), 'run-1'));
    first.add(recordFromUsage(usageEvent({ step: 2, totalMs: 1000, timeToFirstTokenMs: 200 }), 'run-1'));
    appendFileSync(file, '{"truncated": \n');
    const reopened = new CostLedger(file);
    assert.equal(reopened.skippedLines, 1);
    reopened.add(recordFromUsage(usageEvent({ costUsd: null, uncachedCostUsd: null, model: 'claude-unreleased-9' }), 'run-2'));

    const all = reopened.summary({ kind: 'all' });
    assert.equal(all.calls, 3);
    assert.equal(all.unpricedCalls, 1);
    assert.ok(Math.abs(all.costUsd - 0.02) < 1e-12);
    assert.ok(Math.abs(all.savedUsd - 0.046) < 1e-12);
    assert.equal(all.cacheHitRate, 0.89);
    assert.equal(reopened.summary({ kind: 'session' }).calls, 1, 'the session is what this ledger recorded since it opened');
    assert.equal(reopened.summary({ kind: 'run', runId: 'run-1' }).calls, 2);
    assert.deepEqual(reopened.summary({ kind: 'run', runId: 'run-1' }).totalMs, { p50: 1000, p95: 2400 });
  });

  it('exports CSV with an empty cell, never 0, for an unknown cost', () => {
    const csv = toCsv([recordFromUsage(usageEvent({ costUsd: null, uncachedCostUsd: null }), 'r', new Date(0))]);
    const [header, row] = csv.trim().split('\n');
    assert.match(header!, /^time,runId,step,model,pricedAs,inputTokens,.*costUsd,uncachedCostUsd/);
    const cells = row!.split(',');
    assert.equal(cells[header!.split(',').indexOf('costUsd')], '');
  });

  it('resets to empty, keeping the old file as .bak', () => {
    const file = path.join(dir, 'cost-ledger.jsonl');
    const ledger = new CostLedger(file);
    ledger.add(recordFromUsage(usageEvent(), 'run-1'));
    ledger.reset();
    assert.equal(ledger.records.length, 0);
    assert.equal(new CostLedger(file).records.length, 0);
    assert.match(readFileSync(`${file}.bak`, 'utf8'), /run-1/);
  });

  it('reads a ledger written before lines were versioned (v0)', () => {
    const ledger = new CostLedger(V0_LEDGER);
    assert.equal(ledger.skippedLines, 0);
    assert.deepEqual(
      ledger.records.map((r) => r.step),
      [1, 2, 3, 4, 5, 6],
    );
    const expected = readFileSync(V0_LEDGER, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { costUsd: number }).costUsd)
      .reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(ledger.summary({ kind: 'all' }).costUsd - expected) < 1e-12);
  });

  it('writes the version first on every new line, after the old lines, and reads both', () => {
    const file = path.join(dir, 'cost-ledger.jsonl');
    copyFileSync(V0_LEDGER, file);
    new CostLedger(file).add(recordFromUsage(usageEvent(), 'run-new'));
    assert.match(readFileSync(file, 'utf8').trim().split('\n').at(-1)!, /^\{"v":1,"time":/);
    const reopened = new CostLedger(file);
    assert.equal(reopened.records.length, 7);
    assert.equal(reopened.skippedLines, 0);
  });

  it('skips and counts a half-written last line, a line of a newer version and a line whose fields do not match', () => {
    const file = path.join(dir, 'cost-ledger.jsonl');
    const text = readFileSync(V0_LEDGER, 'utf8');
    const first = text.split('\n')[0]!;
    const newer = JSON.stringify({ v: 2, time: '2027-01-01T00:00:00Z', run: 'r', cost: { usd: 0.1 } });
    const mistyped = JSON.stringify({ v: 1, ...JSON.parse(first), costUsd: '$0.013' });
    writeFileSync(file, [first, newer, mistyped, first.slice(0, 60)].join('\n'));
    const ledger = new CostLedger(file);
    assert.equal(ledger.records.length, 1);
    assert.equal(ledger.skippedLines, 3);
    assert.equal(ledger.newerLines, 1);
  });

  it('computes nearest-rank percentiles', () => {
    assert.equal(percentile([5, 1, 3, 2, 4], 50), 3);
    assert.equal(
      percentile(
        Array.from({ length: 100 }, (_, i) => i + 1),
        95,
      ),
      95,
    );
    assert.equal(percentile([], 50), null);
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { EventLog, listRunLogs, readRunLog } from '../../../src/ledger/eventLog';
import type { TriageEvent } from '../../../src/shared/events';
import { FakeAnthropic } from '../../fixtures/anthropic-server/server';
import { checkoutIncidentScenario, checkoutReport } from '../../../src/demo/checkoutIncident';
import { TEST_API_KEY } from '../../fixtures/harness';

const ROOT = path.resolve(__dirname, '../../..');
/** A run log as the EventLog wrote it before lines carried a version: a real demo run (steps 1 and 6), plus the event kinds a clean run does not produce. */
const V0_RUN = path.join(__dirname, 'fixtures', 'run-v0.jsonl');

describe('the run ledger', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'triage-ledger-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('coalesces streamed text per step, and drops what a failed attempt streamed', () => {
    const log = new EventLog(dir, 'run-1');
    const events: TriageEvent[] = [
      { type: 'step_started', step: 1, model: 'm', forcedReport: false },
      { type: 'thinking_delta', step: 1, text: 'Hmm, ' },
      { type: 'thinking_delta', step: 1, text: 'logs first.' },
      { type: 'text_delta', step: 1, text: 'Partial that ' },
      { type: 'text_delta', step: 1, text: 'was cut' },
      { type: 'step_started', step: 1, model: 'm', forcedReport: false, attempt: 2 },
      { type: 'text_delta', step: 1, text: 'Looking at ' },
      { type: 'text_delta', step: 1, text: 'the logs.' },
      { type: 'tool_call_started', step: 1, id: 't1', name: 'list_log_files' },
      { type: 'tool_input_delta', step: 1, id: 't1', partialJson: '{}' },
    ];
    for (const e of events) log.append(e);
    const written = readRunLog(log.path).events.map((e) => (e.type === 'text_delta' || e.type === 'thinking_delta' ? `${e.type}:${e.text}` : e.type));
    assert.deepEqual(written, ['step_started', 'thinking_delta:Hmm, logs first.', 'step_started', 'text_delta:Looking at the logs.', 'tool_call_started']);
  });

  it('skips a truncated or corrupt line instead of failing', () => {
    const log = new EventLog(dir, 'run-2');
    log.append({ type: 'step_started', step: 1, model: 'm', forcedReport: false });
    appendFileSync(log.path, '{"type":"usage","step":1,"mod\n');
    appendFileSync(log.path, '"just a string"\n');
    const read = readRunLog(log.path);
    assert.equal(read.events.length, 1);
    assert.equal(read.skipped, 2);
    assert.deepEqual(listRunLogs(dir), [log.path]);
  });

  describe('versioned lines', () => {
    it('reads a run log written before lines were versioned (v0): every kind of event the log writes', () => {
      const read = readRunLog(V0_RUN);
      assert.equal(read.skipped, 0);
      assert.equal(read.events.length, 20);
      const kinds = new Set(read.events.map((e) => e.type));
      assert.deepEqual([...kinds].sort(), [
        'error',
        'model_fallback',
        'report',
        'retrying',
        'run_finished',
        'run_started',
        'step_started',
        'text_delta',
        'thinking_delta',
        'tool_call_ready',
        'tool_call_started',
        'tool_result',
        'usage',
      ]);
      const report = read.events.find((e) => e.type === 'report');
      assert.ok(report?.type === 'report');
      // Written before evidence was checked: upgraded without claiming a check that never happened.
      assert.equal(report.report.title, checkoutReport.title);
      assert.equal(report.report.conclusion, 'identified');
      assert.deepEqual(report.report.hypotheses, []);
      assert.equal(report.report.evidence.length, 8);
      for (const item of report.report.evidence) {
        assert.equal(item.kind, 'log');
        assert.deepEqual(item.verification, { status: 'unverified', reason: 'recorded by a version that did not check evidence' });
      }
      assert.deepEqual(report.report.verification, { verified: 0, moved: 0, unverified: 8, timelineDisagreements: 0, resubmitted: false });
      const finished = read.events.at(-1);
      assert.ok(finished?.type === 'run_finished' && finished.reason === 'report' && typeof finished.costUsd === 'number');
    });

    it('writes the version first on every line, and reads back exactly the events it was given', () => {
      const log = new EventLog(dir, 'run-3');
      const events: TriageEvent[] = [
        { type: 'step_started', step: 1, model: 'm', forcedReport: false },
        { type: 'tool_result', step: 1, id: 't1', name: 'read_log', ok: true, durationMs: 3, preview: 'x', data: { kind: 'series', points: [] } },
        { type: 'run_finished', reason: 'cancelled', steps: 1, durationMs: 9, message: 'Cancelled.', costUsd: null, tokens: 0 },
      ];
      for (const e of events) log.append(e);
      const lines = readFileSync(log.path, 'utf8').trim().split('\n');
      assert.ok(
        lines.every((l) => l.startsWith('{"v":2,"at":"')),
        lines[0],
      );
      assert.deepEqual(readRunLog(log.path).events, events, "the version and the write time are the line's, not the event's");
    });

    it('skips and counts a half-written last line', () => {
      const file = path.join(dir, 'cut.jsonl');
      const text = readFileSync(V0_RUN, 'utf8');
      writeFileSync(file, text.slice(0, text.length - 40));
      const read = readRunLog(file);
      assert.equal(read.events.length, 19);
      assert.equal(read.skipped, 1);
      assert.equal(read.newer, 0);
    });

    it('skips and counts lines of a newer version, lines whose fields do not match, and kinds of event it does not know; reads the rest', () => {
      const file = path.join(dir, 'mixed.jsonl');
      copyFileSync(V0_RUN, file);
      appendFileSync(file, '{"v":3,"type":"run_finished","outcome":{"reason":"report"}}\n');
      appendFileSync(file, '{"v":1,"type":"usage","step":"six","model":"m"}\n');
      appendFileSync(file, '{"v":1,"type":"checkpoint","step":7}\n');
      appendFileSync(file, '{"v":-1,"type":"step_started","step":7,"model":"m","forcedReport":false}\n');
      appendFileSync(file, '{"v":1,"type":"step_started","step":7,"model":"m","forcedReport":false,"region":"eu"}\n');
      const read = readRunLog(file);
      assert.equal(read.newer, 1);
      assert.equal(read.skipped, 4);
      assert.equal(read.events.length, 21);
      assert.deepEqual(read.events.at(-1), { type: 'step_started', step: 7, model: 'm', forcedReport: false }, 'a field it does not know is dropped, not refused');
    });
  });

  it('killed with SIGKILL mid-run, the CLI leaves every completed step readable', async function () {
    this.timeout(30_000);
    const server = await FakeAnthropic.start({ scenario: checkoutIncidentScenario, chunkDelayMs: 20 });
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'src/cli/index.ts'), 'triage', '--workspace', path.join(ROOT, 'samples/checkout-incident'), '--json', '--ledger', dir, 'checkout is down'],
        {
          env: { ...process.env, ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: server.url },
          stdio: ['ignore', 'pipe', 'ignore'],
        },
      );
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      for await (const line of createInterface({ input: child.stdout })) {
        const event = JSON.parse(line) as TriageEvent;
        // Mid-run: step 2's answer has completed, step 3 has started streaming.
        if (event.type === 'text_delta' && event.step === 3) {
          child.kill('SIGKILL');
          break;
        }
      }
      await exited;
      const [file] = readdirSync(path.join(dir, 'runs'));
      const { events, skipped } = readRunLog(path.join(dir, 'runs', file!));
      assert.ok(skipped <= 1, 'at most the line being written was lost');
      assert.equal(events[0]!.type, 'run_started');
      assert.deepEqual(
        events.filter((e) => e.type === 'usage').map((e) => e.step),
        [1, 2],
        'both completed API calls, with their cost',
      );
      assert.ok(events.filter((e) => e.type === 'tool_result').length >= 4, 'and the tool results of those steps');
      assert.ok(!events.some((e) => e.type === 'run_finished'));
    } finally {
      await server.close();
    }
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readRunLog } from '../../src/ledger/eventLog';
import type { FinishReason, TriageEvent } from '../../src/shared/events';
import { FakeAnthropic, type Fault } from '../fixtures/anthropic-server/server';
import { scriptedTurns, type ScriptedTurn } from '../fixtures/anthropic-server/scenario';
import { assertFreshBuild, printedEvents, spawnCli, type CliRun } from '../fixtures/cliProcess';
import { TEST_API_KEY } from '../fixtures/harness';
import { writeProofTally } from '../fixtures/proof';
import { sampleReport } from '../fixtures/reports';
import { writeFiles } from '../fixtures/workspace';

/**
 * The process-level fault suite: the built CLI (dist/cli.js) runs as a child process against the
 * API emulator, as a script or an on-call bot runs it, for every API fault the in-process suite
 * covers. What is checked is what the caller sees: the exit code, the last line printed, how many
 * requests reached the API, how long it waited, and the run ledger. (A defect of this kind — exit
 * 0 with no run_finished while a retry waited — was invisible in process.)
 */
const LOG = '2026-11-20T14:05:00Z ERROR pool exhausted\n';
const PRELOAD = path.resolve(__dirname, '../fixtures/preload');
const look: ScriptedTurn = {
  content: [
    { type: 'text', text: 'Listing the logs first, then the pool errors around 14:05.' },
    { type: 'tool_use', name: 'list_log_files', input: {} },
  ],
};
const report: ScriptedTurn = { content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] };
const http = (status: number, type: string, extra: Partial<Extract<Fault, { kind: 'http' }>> = {}): Fault => ({ kind: 'http', status, type, ...extra });

interface Case {
  name: string;
  /** Faults by the 1-based number of the POST /v1/messages they hit. */
  faultsAt?: [number, Fault][];
  turns?: ScriptedTurn[];
  args?: string[];
  exit: 0 | 1;
  reason: FinishReason;
  requests: number;
  check?: (run: CliRun, events: TriageEvent[], server: FakeAnthropic) => void;
}

const retried = (events: TriageEvent[]) => events.filter((e): e is Extract<TriageEvent, { type: 'retrying' }> => e.type === 'retrying');
const errorText = (events: TriageEvent[]) =>
  events
    .filter((e) => e.type === 'error')
    .map((e) => (e as { message: string }).message)
    .join(' | ');

const CASES: Case[] = [
  {
    name: '429 with retry-after: 2 — waits the 2 s, then succeeds',
    faultsAt: [[1, http(429, 'rate_limit_error', { retryAfterSeconds: 2 })]],
    exit: 0,
    reason: 'report',
    requests: 3,
    check: (_run, events, server) => {
      assert.equal(retried(events)[0]!.delayMs, 2000);
      // Measured where the requests arrive, so process start-up cannot stand in for the wait.
      assert.ok(server.messageGapsMs[0]! >= 1950, `the second request came ${Math.round(server.messageGapsMs[0]!)} ms after the first`);
    },
  },
  {
    name: '529 twice with --fallback-model — continues on the fallback model',
    faultsAt: [
      [1, http(529, 'overloaded_error', { retryAfterMs: 100 })],
      [2, http(529, 'overloaded_error', { retryAfterMs: 100 })],
    ],
    args: ['--model', 'claude-sonnet-5-5', '--fallback-model', 'claude-haiku-4-5'],
    exit: 0,
    reason: 'report',
    requests: 4,
    check: (_run, events, server) => {
      assert.ok(events.some((e) => e.type === 'model_fallback' && e.to === 'claude-haiku-4-5'));
      assert.deepEqual(
        server.messageRequests.map((b) => b.model),
        ['claude-sonnet-5-5', 'claude-sonnet-5-5', 'claude-haiku-4-5', 'claude-haiku-4-5'],
      );
    },
  },
  {
    name: '529 four times without a fallback — gives up after four attempts, exit 1',
    faultsAt: [1, 2, 3, 4].map((n) => [n, http(529, 'overloaded_error', { retryAfterMs: 100 })]),
    exit: 1,
    reason: 'error',
    requests: 4,
    check: (_run, events) => assert.match(errorText(events), /overloaded \(529\)/),
  },
  { name: 'HTTP 500 once — sent again', faultsAt: [[2, http(500, 'api_error')]], exit: 0, reason: 'report', requests: 3 },
  { name: 'HTTP 500 on every attempt — exit 1 after four', faultsAt: [1, 2, 3, 4].map((n) => [n, http(500, 'api_error', { retryAfterMs: 50 })]), exit: 1, reason: 'error', requests: 4 },
  { name: 'an SSE error event mid-stream — sent again', faultsAt: [[2, { kind: 'stream_error', afterEvents: 4 }]], exit: 0, reason: 'report', requests: 3 },
  { name: 'a connection reset mid-stream — sent again', faultsAt: [[2, { kind: 'drop', afterEvents: 4 }]], exit: 0, reason: 'report', requests: 3 },
  { name: 'a clean end before message_stop — sent again', faultsAt: [[2, { kind: 'eof', afterEvents: 4 }]], exit: 0, reason: 'report', requests: 3 },
  {
    name: 'a stream that stalls — abandoned after --stream-timeout, sent again',
    faultsAt: [[2, { kind: 'stall', afterEvents: 3, ms: 20_000 }]],
    args: ['--stream-timeout', '1'],
    exit: 0,
    reason: 'report',
    requests: 3,
    check: (run, events) => {
      assert.match(retried(events)[0]!.reason, /stalled: nothing arrived for 1\.0 s/);
      assert.ok(run.elapsedMs < 10_000, 'the 20 s stall was not waited out');
    },
  },
  {
    name: 'a slow first byte — abandoned after --stream-timeout, sent again',
    faultsAt: [[1, { kind: 'slow_headers', ms: 20_000 }]],
    args: ['--stream-timeout', '1'],
    exit: 0,
    reason: 'report',
    requests: 3,
    check: (run) => assert.ok(run.elapsedMs < 10_000),
  },
  ...(
    [
      [401, 'authentication_error', /API key rejected \(401\)/],
      [400, 'invalid_request_error', /API error 400/],
      [403, 'permission_error', /not allowed to do this \(403\)/],
      [413, 'request_too_large', /API error 413/],
    ] as const
  ).map(([status, type, message]): Case => ({
    name: `HTTP ${status} — not retried, exit 1 with what to do`,
    faultsAt: [[1, http(status, type)]],
    exit: 1,
    reason: 'error',
    requests: 1,
    check: (_run, events) => {
      assert.match(errorText(events), message);
      assert.equal(retried(events).length, 0);
    },
  })),
  {
    name: 'a refusal — not retried, exit 1',
    turns: [{ content: [{ type: 'text', text: 'I cannot help with that.' }], stopReason: 'refusal' }],
    exit: 1,
    reason: 'error',
    requests: 1,
    check: (_run, events) => assert.match(errorText(events), /declined/),
  },
  {
    name: 'max_tokens mid tool call — the cut call is not run, the run goes on',
    // About 20,000 tokens of arguments: past the default 16,000-token output allowance.
    turns: [
      {
        content: [
          { type: 'text', text: 'Searching.' },
          { type: 'tool_use', name: 'search_logs', rawJson: `{"query": "${'x'.repeat(80_000)}"}` },
        ],
      },
      report,
    ],
    exit: 0,
    reason: 'report',
    requests: 2,
    check: (_run, events) => {
      assert.equal((events.find((e) => e.type === 'usage') as { stopReason: string }).stopReason, 'max_tokens');
      assert.ok(!events.some((e) => e.type === 'tool_result' && e.name === 'search_logs'), 'the cut call never ran');
    },
  },
  {
    name: 'the step cap reached without a report — exit 1',
    turns: [look, look, look],
    args: ['--max-steps', '1'],
    exit: 1,
    reason: 'max_steps',
    requests: 3,
  },
];

describe('process-level fault suite: the built CLI against API faults', function () {
  this.timeout(60_000);
  let workspace: string;
  let ledger: string;
  let server: FakeAnthropic | undefined;
  const tally = { tried: 0, handled: 0 };

  before(async () => {
    assertFreshBuild();
    workspace = await mkdtemp(path.join(os.tmpdir(), 'triage-process-ws-'));
    await writeFiles(workspace, { 'logs/app.log': LOG });
  });
  beforeEach(async () => (ledger = await mkdtemp(path.join(os.tmpdir(), 'triage-process-ledger-'))));
  afterEach(async function () {
    tally.tried++;
    if (this.currentTest?.state === 'passed') tally.handled++;
    await server?.close();
    server = undefined;
    await rm(ledger, { recursive: true, force: true });
  });
  after(async () => {
    writeProofTally('process', tally);
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  async function triage(args: string[], options: Parameters<typeof spawnCli>[1] = {}) {
    return spawnCli(['triage', '--workspace', workspace, '--json', '--ledger', ledger, ...args, 'checkout fails since 14:05'], {
      ...options,
      env: { ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: server!.url, ...options.env },
    });
  }

  /** The run ledger's events as its reader returns them (every line read, none skipped): the same facts the CLI printed, ending with the same run_finished. */
  async function ledgerEvents(): Promise<TriageEvent[]> {
    const { events, skipped } = readRunLog(await ledgerFile());
    assert.equal(skipped, 0, 'every line of the ledger is readable');
    return events;
  }

  async function ledgerFile(): Promise<string> {
    const [file] = await readdir(path.join(ledger, 'runs'));
    return path.join(ledger, 'runs', file!);
  }

  async function assertLedgerAgrees(printed: TriageEvent[]): Promise<void> {
    const logged = await ledgerEvents();
    assert.deepEqual(logged.at(-1), printed.at(-1), 'the ledger ends with the run_finished the CLI printed');
    for (const type of ['usage', 'tool_result', 'report', 'retrying', 'model_fallback', 'error'] as const) {
      assert.equal(logged.filter((e) => e.type === type).length, printed.filter((e) => e.type === type).length, `every ${type} event is in the ledger`);
    }
  }

  for (const c of CASES) {
    it(c.name, async () => {
      server = await FakeAnthropic.start({ scenario: scriptedTurns(c.turns ?? [look, report]) });
      for (const [n, fault] of c.faultsAt ?? []) server.injectFaultAt(n, fault);
      const run = await triage(c.args ?? []);
      const events = printedEvents(run.stdout);
      const last = events.at(-1);
      assert.equal(last?.type, 'run_finished', `the last line is run_finished\n${run.stdout.slice(-1500)}\n${run.stderr}`);
      assert.equal(last.reason, c.reason, errorText(events));
      assert.equal(run.code, c.exit, `exit code for reason ${last.reason}: ${run.stderr}`);
      assert.equal(server.messageRequests.length, c.requests, 'requests that reached the API');
      assert.ok(run.exitAfterFinishMs! < 2000, `exited ${Math.round(run.exitAfterFinishMs!)} ms after run_finished`);
      c.check?.(run, events, server);
      await assertLedgerAgrees(events);
      assert.ok(![run.stdout, run.stderr, await readFile(await ledgerFile(), 'utf8')].some((t) => t.includes(TEST_API_KEY)), 'the key is printed nowhere');
    });
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} during a 30 s retry-after — cancels at once, run_finished cancelled, exit 1`, async () => {
      server = await FakeAnthropic.start({ scenario: scriptedTurns([report]) });
      server.injectFaultAt(1, http(429, 'rate_limit_error', { retryAfterSeconds: 30 }));
      const run = await triage([], { onLine: (line, child) => line.includes('"type":"retrying"') && child.kill(signal) });
      const events = printedEvents(run.stdout);
      assert.equal(events.at(-1)?.type, 'run_finished');
      assert.equal((events.at(-1) as { reason: string }).reason, 'cancelled');
      assert.equal(run.code, 1);
      assert.ok(run.elapsedMs < 5000, `did not wait out the 30 s (${Math.round(run.elapsedMs)} ms)`);
      assert.equal(server.messageRequests.length, 1);
      await assertLedgerAgrees(events);
    });
  }

  it('exits promptly after run_finished even while a timer, a socket and a child process are still open', async () => {
    server = await FakeAnthropic.start({ scenario: scriptedTurns([look, report]) });
    const run = await triage([], { preload: [path.join(PRELOAD, 'holdEventLoop.cjs')] });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(printedEvents(run.stdout).at(-1)?.type, 'run_finished');
    assert.ok(run.exitAfterFinishMs! < 2000, `exited ${Math.round(run.exitAfterFinishMs!)} ms after run_finished`);
  });

  it('a FIFO named like a log is refused at once, and the CLI still finishes and exits', async () => {
    const fifo = path.join(workspace, 'logs', 'pipe.log');
    execFileSync('mkfifo', [fifo]);
    try {
      server = await FakeAnthropic.start({
        scenario: scriptedTurns([
          {
            content: [
              { type: 'tool_use', name: 'read_log', input: { file: 'logs/pipe.log', start_line: 1, end_line: 5 } },
              { type: 'tool_use', name: 'search_logs', input: { query: 'pool' } },
              { type: 'tool_use', name: 'summarize_log', input: { file: 'logs/pipe.log' } },
            ],
          },
          report,
        ]),
      });
      const run = await triage(['--tool-timeout', '20']);
      const events = printedEvents(run.stdout);
      assert.equal(run.code, 0, run.stderr);
      const results = events.filter((e): e is Extract<TriageEvent, { type: 'tool_result' }> => e.type === 'tool_result' && e.name !== 'submit_triage_report');
      for (const r of results) assert.ok(r.durationMs < 2000, `${r.name} answered in ${r.durationMs} ms, not at the tool timeout`);
      assert.match(results.find((r) => r.name === 'read_log')!.preview, /FIFO/);
      assert.match(results.find((r) => r.name === 'search_logs')!.preview, /pool exhausted/, 'the real log is still searched');
      assert.ok(run.elapsedMs < 10_000);
    } finally {
      await rm(fifo, { force: true });
    }
  });

  it('if nothing holds the process during a retry wait, it says so and exits 1 — never 0 without run_finished', async () => {
    server = await FakeAnthropic.start({ scenario: scriptedTurns([report]) });
    server.injectFaultAt(1, http(429, 'rate_limit_error', { retryAfterSeconds: 2 }));
    // The preload recreates the old defect: an unreferenced retry wait.
    const run = await triage([], { preload: [path.join(PRELOAD, 'unrefRetryWaits.cjs')] });
    assert.ok(!printedEvents(run.stdout).some((e) => e.type === 'run_finished'), 'the defect is reproduced: the run did not finish');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /about to exit before the run finished \(no run_finished\)/);
  });

  it('an API key with a line break is refused before anything is sent, without echoing it', async () => {
    server = await FakeAnthropic.start({ scenario: scriptedTurns([report]) });
    const key = 'sk-ant-api03-PRIVATEPART1234567890\nX-Injected: 1';
    const run = await triage([], { env: { ANTHROPIC_API_KEY: key } });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /ANTHROPIC_API_KEY contains a space or line break at position \d+/);
    assert.ok(!`${run.stdout}${run.stderr}`.includes('PRIVATEPART'), 'no part of the key is printed');
    assert.equal(server.requests.length, 0);
  });
});

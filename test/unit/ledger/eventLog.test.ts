import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { EventLog, listRunLogs, readRunLog } from '../../../src/ledger/eventLog';
import type { TriageEvent } from '../../../src/shared/events';
import { FakeAnthropic } from '../../fixtures/anthropic-server/server';
import { checkoutIncidentScenario } from '../../../src/demo/checkoutIncident';
import { TEST_API_KEY } from '../../fixtures/harness';

const ROOT = path.resolve(__dirname, '../../..');

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

  it('killed with SIGKILL mid-run, the CLI leaves every completed step readable', async function () {
    this.timeout(30_000);
    const server = await FakeAnthropic.start({ scenario: checkoutIncidentScenario, chunkDelayMs: 20 });
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/index.ts'), 'triage', '--workspace', path.join(ROOT, 'samples/checkout-incident'), '--json', '--ledger', dir, 'checkout is down'], {
        env: { ...process.env, ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: server.url },
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      for await (const line of createInterface({ input: child.stdout! })) {
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
      assert.deepEqual(events.filter((e) => e.type === 'usage').map((e) => e.step), [1, 2], 'both completed API calls, with their cost');
      assert.ok(events.filter((e) => e.type === 'tool_result').length >= 4, 'and the tool results of those steps');
      assert.ok(!events.some((e) => e.type === 'run_finished'));
    } finally {
      await server.close();
    }
  });
});

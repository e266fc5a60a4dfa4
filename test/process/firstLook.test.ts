import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readRunLog } from '../../src/ledger/eventLog';
import { FakeAnthropic } from '../fixtures/anthropic-server/server';
import { scriptedTurns, type ScriptedTurn } from '../fixtures/anthropic-server/scenario';
import { assertFreshBuild, printedEvents, spawnCli } from '../fixtures/cliProcess';
import { TEST_API_KEY } from '../fixtures/harness';
import { sampleReport } from '../fixtures/reports';
import { writeFiles } from '../fixtures/workspace';

const MODEL_TEXT = 'Reading the first look: the pool errors start at 14:04.';
const turns: ScriptedTurn[] = [
  {
    content: [
      { type: 'text', text: MODEL_TEXT },
      { type: 'tool_use', name: 'submit_triage_report', input: sampleReport() },
    ],
  },
];
/** Steady requests from 13:50, then a burst of pool errors from 14:04:10. */
function log(): string {
  const lines: string[] = [];
  for (let m = 50; m < 80; m++) {
    const hh = m < 60 ? '13' : '14';
    const mm = String(m % 60).padStart(2, '0');
    lines.push(`2026-11-20T${hh}:${mm}:00.000Z INFO request served in 41ms`);
    if (m >= 64) for (let s = 10; s < 60; s += 10) lines.push(`2026-11-20T${hh}:${mm}:${s}.000Z ERROR pool exhausted after 3000ms`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The built CLI prints the first look before the model's first token: in the terminal before the
 * streamed text, and before the first request even reaches the API; with --json it is one event
 * between run_started and the first step, and the ledger records it.
 */
describe('the first look in the built CLI', function () {
  this.timeout(60_000);
  let workspace: string;
  let ledger: string;
  let server: FakeAnthropic;

  before(async () => {
    assertFreshBuild();
    workspace = await mkdtemp(path.join(os.tmpdir(), 'triage-fl-ws-'));
    await writeFiles(workspace, { 'logs/app.log': log() });
  });
  beforeEach(async () => {
    ledger = await mkdtemp(path.join(os.tmpdir(), 'triage-fl-ledger-'));
    server = await FakeAnthropic.start({ scenario: scriptedTurns(turns), chunkDelayMs: 5 });
  });
  afterEach(async () => {
    await server.close();
    await rm(ledger, { recursive: true, force: true });
  });
  after(async () => workspace && rm(workspace, { recursive: true, force: true }));

  const env = () => ({ ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: server.url, NO_COLOR: '1' });

  it('prints it in the terminal before the first model text, before the first request reaches the API', async () => {
    let printedAt: number | undefined;
    const run = await spawnCli(['triage', '--workspace', workspace, 'checkout fails since 14:05'], {
      env: env(),
      onLine: (line) => {
        if (line.startsWith('── first look')) printedAt ??= performance.now();
      },
    });
    assert.equal(run.code, 0, run.stderr);
    const out = run.stdout;
    const heading = out.indexOf('── first look');
    assert.ok(heading >= 0, out);
    assert.ok(heading < out.indexOf('── step 1'), 'before the first step');
    assert.ok(heading < out.indexOf(MODEL_TEXT.slice(0, 20)), 'before the model text');
    assert.match(out, /First error burst: 6 error lines within 60 s from 14:04:10Z, first at logs\/app\.log:\d+/);
    assert.match(out, /Suspected start: 14:05:00Z, from the description \("14:05"\)\./);
    const firstPost = server.requests.find((r) => r.method === 'POST' && r.path === '/v1/messages')!.receivedAt;
    assert.ok(printedAt !== undefined && printedAt < firstPost, 'on screen before the model was asked');
  });

  it('with --json, is one event between run_started and the first step, and the ledger records it', async () => {
    const run = await spawnCli(['triage', '--workspace', workspace, '--json', '--ledger', ledger, 'checkout fails since 14:05'], { env: env() });
    assert.equal(run.code, 0, run.stderr);
    const events = printedEvents(run.stdout);
    assert.deepEqual(
      events.slice(0, 3).map((e) => e.type),
      ['run_started', 'first_look', 'step_started'],
    );
    const [file] = await readdir(path.join(ledger, 'runs'));
    const logged = readRunLog(path.join(ledger, 'runs', file!));
    assert.equal(logged.skipped, 0);
    assert.deepEqual(
      logged.events.find((e) => e.type === 'first_look'),
      events.find((e) => e.type === 'first_look'),
    );
  });
});

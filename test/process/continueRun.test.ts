import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FakeAnthropic } from '../fixtures/anthropic-server/server';
import { scriptedTurns } from '../fixtures/anthropic-server/scenario';
import { assertFreshBuild, printedEvents, spawnCli } from '../fixtures/cliProcess';
import { TEST_API_KEY } from '../fixtures/harness';
import { sampleReport } from '../fixtures/reports';
import { writeFiles } from '../fixtures/workspace';

const QUESTION = 'Was the 14:02 deploy the only change before it?';

/** `triage --ledger DIR --continue RUN_ID "QUESTION"` on the built CLI: a follow-up for bots that answer in a chat thread. */
describe('continuing a past run from its ledger (--continue)', function () {
  this.timeout(60_000);
  let workspace: string;
  let ledger: string;
  let server: FakeAnthropic;

  before(async () => {
    assertFreshBuild();
    workspace = await mkdtemp(path.join(os.tmpdir(), 'triage-continue-ws-'));
    ledger = await mkdtemp(path.join(os.tmpdir(), 'triage-continue-ledger-'));
    await writeFiles(workspace, { 'logs/app.log': '2026-11-20T14:05:00.000Z ERROR pool exhausted after 3000ms password=hunter2-in-the-log\n' });
    const report = { content: [{ type: 'tool_use' as const, name: 'submit_triage_report', input: sampleReport() }] };
    server = await FakeAnthropic.start({ scenario: scriptedTurns([report, report, report]), chunkDelayMs: 1 });
  });
  after(async () => {
    await server?.close();
    await rm(workspace, { recursive: true, force: true });
    await rm(ledger, { recursive: true, force: true });
  });
  const env = () => ({ ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: server.url, NO_COLOR: '1' });
  const triage = (args: string[]) => spawnCli(['triage', '--workspace', workspace, '--json', ...args], { env: env() });

  it("answers a question in the past run's conversation, as a new run that can itself be continued", async () => {
    const first = await triage(['--ledger', ledger, 'checkout fails since 14:05']);
    assert.equal(first.code, 0, first.stderr);
    const firstId = (printedEvents(first.stdout).find((e) => e.type === 'run_started') as { runId: string }).runId;
    assert.ok(existsSync(path.join(ledger, 'conversations', `${firstId}.json`)));
    const before = server.messageRequests.length;

    const second = await triage(['--ledger', ledger, '--continue', firstId, QUESTION]);
    assert.equal(second.code, 0, second.stderr);
    const secondId = (printedEvents(second.stdout).find((e) => e.type === 'run_started') as { runId: string }).runId;
    assert.notEqual(secondId, firstId);
    const request = server.messageRequests[before]!;
    const messages = request.messages as { role: string; content: unknown }[];
    const firstRequest = server.messageRequests[0]!.messages as { role: string; content: unknown }[];
    // The cache breakpoint moves to the newest message; the text is the same.
    const textOf = (message: { content: unknown } | undefined) => (message!.content as { text?: string }[]).map((b) => b.text).join('');
    assert.equal(textOf(messages[0]), textOf(firstRequest[0]), 'the past conversation comes first, as it was sent');
    assert.ok(messages.length > firstRequest.length, 'with the past answer and the question after it');
    assert.match(JSON.stringify(messages.at(-1)), new RegExp(QUESTION.replace('?', '\\?')));
    assert.ok(!JSON.stringify(request).includes('hunter2-in-the-log'), 'nothing unredacted comes back from the ledger');
    assert.ok(existsSync(path.join(ledger, 'conversations', `${secondId}.json`)), 'the follow-up can be continued in turn');
  });

  it('refuses, with exit 2 and the reason, what it cannot continue: no ledger, a path for an id, an unknown run, a damaged file', async () => {
    const unknown = randomUUID();
    const damaged = randomUUID();
    writeFileSync(path.join(ledger, 'conversations', `${damaged}.json`), '{"version": 1, "runId": "');
    for (const [args, message] of [
      [['--continue', unknown, QUESTION], /--continue RUN_ID is an option of triage, with the --ledger DIR/],
      [['--ledger', ledger, '--continue', '../../etc/passwd', QUESTION], /--continue: "\.\.\/\.\.\/etc\/passwd" is not a run id/],
      [['--ledger', ledger, '--continue', unknown, QUESTION], new RegExp(`--continue: no conversation of run ${unknown}`)],
      [['--ledger', ledger, '--continue', damaged, QUESTION], /--continue: .* is not readable JSON/],
    ] as const) {
      const run = await triage([...args]);
      assert.equal(run.code, 2, `${args.join(' ')}\n${run.stderr}`);
      assert.match(run.stderr, message);
    }
    assert.equal(readdirSync(path.join(ledger, 'conversations')).filter((f) => f.endsWith('.tmp')).length, 0);
  });
});

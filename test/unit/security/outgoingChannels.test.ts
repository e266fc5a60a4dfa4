import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { eventsOfType, finished, startHarness, type Harness } from '../../fixtures/harness';
import { scriptedTurns } from '../../fixtures/anthropic-server/scenario';
import { sampleReport } from '../../fixtures/reports';
import { PLANTED_SECRETS } from '../../fixtures/secrets';
import { EventLog } from '../../../src/ledger/eventLog';
import { main } from '../../../src/cli/main';
import { redactSecrets } from '../../../src/security/redaction';

/**
 * Every way text leaves the process, with planted secrets in what feeds it: tool results (search,
 * read, summaries' template samples, git commit subjects), the description and a follow-up,
 * `--dry-run`, error messages, and the run ledger that the output channel and the panel read
 * from the same events. No planted value may appear in any of them.
 */
const NOW = Date.UTC(2026, 10, 20, 15, 0);
const leaks = (text: string) => PLANTED_SECRETS.filter((s) => text.includes(s.value)).map((s) => s.kind);

describe('every channel out of the process is redacted', () => {
  let h: Harness;
  afterEach(async () => h?.dispose());

  it('tool results, the description, a follow-up, git subjects and the ledger carry no planted secret', async () => {
    const lines = PLANTED_SECRETS.map((s, i) => `2026-11-20T14:05:${String(i).padStart(2, '0')}Z ERROR planted ${s.line}`);
    h = await startHarness({
      files: { 'logs/app.log': `${lines.join('\n')}\n` },
      scenario: scriptedTurns([
        {
          content: [
            { type: 'tool_use', name: 'search_logs', input: { query: 'planted', limit: 200 } },
            { type: 'tool_use', name: 'read_log', input: { file: 'logs/app.log', start_line: 1, end_line: 200 } },
            { type: 'tool_use', name: 'summarize_log', input: { file: 'logs/app.log' } },
            { type: 'tool_use', name: 'get_recent_deploys', input: { since_minutes: 10_080 } },
          ],
        },
        { content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] },
        { content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] },
      ]),
    });
    const at = new Date(NOW - 30 * 60_000).toISOString();
    const gitEnv = {
      ...process.env,
      GIT_AUTHOR_NAME: 'ci',
      GIT_AUTHOR_EMAIL: 'ci@example.com',
      GIT_COMMITTER_NAME: 'ci',
      GIT_COMMITTER_EMAIL: 'ci@example.com',
      GIT_AUTHOR_DATE: at,
      GIT_COMMITTER_DATE: at,
    };
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: h.workspace });
    for (const secret of PLANTED_SECRETS) execFileSync('git', ['commit', '-q', '--allow-empty', '-m', `deploy: ${secret.line}`], { cwd: h.workspace, env: gitEnv });

    const dir = mkdtempSync(path.join(os.tmpdir(), 'triage-channels-'));
    try {
      const { runTriage } = await import('../../../src/agent/runTriage');
      const { createToolRegistry } = await import('../../../src/engine/toolRegistry');
      const deps = { client: h.client, tools: createToolRegistry(), workspaceRoots: [h.workspace], now: () => new Date(NOW) };
      const first = runTriage(
        {
          description: `Checkout down. ${PLANTED_SECRETS.slice(0, 6)
            .map((s) => s.line)
            .join(' ')}`,
        },
        deps,
      );
      const ledger = new EventLog(dir, first.runId);
      const events = [];
      for await (const e of first) {
        ledger.append(e);
        events.push(e);
      }
      assert.equal(finished(events).reason, 'report');
      const results = eventsOfType(events, 'tool_result').filter((r) => r.name !== 'submit_triage_report');
      assert.deepEqual(results.map((r) => [r.name, r.ok]).sort(), [
        ['get_recent_deploys', true],
        ['read_log', true],
        ['search_logs', true],
        ['summarize_log', true],
      ]);
      assert.match(results.find((r) => r.name === 'get_recent_deploys')!.preview, /deploy: /, 'the commit subjects were read');

      const followUp = runTriage(
        {
          description: `Also: ${PLANTED_SECRETS.slice(6)
            .map((s) => s.line)
            .join(' ')}`,
          followUp: first.conversation,
        },
        deps,
      );
      for await (const e of followUp) ledger.append(e);

      assert.deepEqual(leaks(JSON.stringify(h.server.messageRequests)), [], 'nothing planted reached the API');
      assert.deepEqual(leaks(JSON.stringify(events)), [], 'nor the event stream (the panel, the terminal, the output channel)');
      assert.deepEqual(
        leaks(
          readdirSync(path.join(dir, 'runs'))
            .map((f) => readFileSync(path.join(dir, 'runs', f), 'utf8'))
            .join(''),
        ),
        [],
        'nor the ledger',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an API error that quotes the key reaches no consumer with it: masked by value, whatever its shape', async () => {
    // A gateway key with no recognisable shape: only knowing the value can mask it.
    const key = 'gw7Hq2LmZp9XrT4kVd';
    const message = `quota exhausted for ${key} today`;
    assert.equal((await redactSecrets(message)).text, message, 'precondition: no pattern recognises this key');
    h = await startHarness({ scenario: scriptedTurns([]) });
    h.server.injectFault({ kind: 'http', status: 400, type: 'invalid_request_error', message });
    const client = new Anthropic({ apiKey: key, baseURL: h.server.url, maxRetries: 0 });
    const { events } = await h.run({ description: 'x' }, { client });
    assert.equal(finished(events).reason, 'error');
    assert.ok(!JSON.stringify(events).includes(key), JSON.stringify(events));
    assert.match(eventsOfType(events, 'error')[0]!.message, /quota exhausted for \[REDACTED:credential\] today/);
  });

  it('a key the run holds, found in a log line, is masked in the successful tool result too', async () => {
    const key = 'gw7Hq2LmZp9XrT4kVd';
    h = await startHarness({
      files: { 'logs/app.log': `2026-11-20T14:05:00Z WARN gateway call failed, key ${key} over quota\n` },
      scenario: scriptedTurns([
        { content: [{ type: 'tool_use', name: 'search_logs', input: { query: 'gateway' } }] },
        { content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] },
      ]),
    });
    const client = new Anthropic({ apiKey: key, baseURL: h.server.url, maxRetries: 0 });
    const { events } = await h.run({ description: 'x' }, { client });
    const result = eventsOfType(events, 'tool_result')[0]!;
    assert.equal(result.ok, true);
    assert.match(result.preview, /gateway call failed, key \[REDACTED:credential\] over quota/);
    assert.match(result.preview, /1 secret value redacted/);
    assert.ok(!JSON.stringify(h.server.messageRequests).includes(key), 'the key did not reach the API');
  });

  it('a known key whose head has a recognisable shape is masked whole, not just its head', async () => {
    const key = 'AKIAIOSFODNN7EXAMPLE-tail-part-9f8e7d';
    h = await startHarness({
      files: { 'logs/app.log': `2026-11-20T14:05:00Z WARN upstream header=${key} end\n` },
      scenario: scriptedTurns([
        { content: [{ type: 'tool_use', name: 'search_logs', input: { query: 'upstream' } }] },
        { content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] },
      ]),
    });
    const client = new Anthropic({ apiKey: key, baseURL: h.server.url, maxRetries: 0 });
    const { events } = await h.run({ description: 'x' }, { client });
    const preview = eventsOfType(events, 'tool_result')[0]!.preview;
    assert.match(preview, /upstream header=\[REDACTED:credential\] end/);
    assert.ok(!JSON.stringify(h.server.messageRequests).includes('tail-part-9f8e7d'), 'no part of the key reached the API');
  });

  it('--dry-run prints no planted secret from the description', async () => {
    let stdout = '';
    const code = await main(['triage', '--workspace', path.resolve(__dirname, '../../../samples/checkout-incident'), '--dry-run', PLANTED_SECRETS.map((s) => s.line).join(' ; ')], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => undefined },
      env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' },
    });
    assert.equal(code, 0);
    assert.deepEqual(leaks(stdout), []);
  });

  it('--dry-run masks the Prometheus token by value, as the run would', async () => {
    const token = 'promtok7Qw9Zr2Lx8Vn';
    let stdout = '';
    const code = await main(
      ['triage', '--workspace', path.resolve(__dirname, '../../../samples/checkout-incident'), '--prometheus-url', 'http://127.0.0.1:9', '--dry-run', `queries fail with token ${token}`],
      {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: () => undefined },
        env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', PROMETHEUS_BEARER_TOKEN: token },
      },
    );
    assert.equal(code, 0);
    assert.ok(!stdout.includes(token));
    assert.match(stdout, /queries fail with token \[REDACTED:credential\]/);
  });
});

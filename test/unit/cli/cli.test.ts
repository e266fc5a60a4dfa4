import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main, type CliIo } from '../../../src/cli/main';
import { sanitizeForTerminal } from '../../../src/cli/terminal';
import type { TriageEvent } from '../../../src/shared/events';
import { FakeAnthropic } from '../../fixtures/anthropic-server/server';
import { scriptedTurns } from '../../fixtures/anthropic-server/scenario';
import { checkoutIncidentScenario, checkoutReport } from '../../fixtures/scenarios/checkoutIncident';
import { checkedCheckoutReport } from '../../fixtures/reports';
import { sampleReport } from '../../fixtures/reports';
import { TEST_API_KEY } from '../../fixtures/harness';

const SAMPLE = path.resolve(__dirname, '../../../samples/checkout-incident');

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const jsonEvents = (stdout: string): TriageEvent[] =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as TriageEvent);

describe('incident-triage CLI', () => {
  it('demo: replays the recorded incident with real tools and ends with the report (exit 0)', async () => {
    const { code, stdout } = await cli(['demo', '--json']);
    assert.equal(code, 0);
    const events = jsonEvents(stdout);
    const report = events.find((e) => e.type === 'report');
    assert.deepEqual(report && report.type === 'report' && report.report, checkedCheckoutReport());
    const results = events.filter((e) => e.type === 'tool_result');
    // The recording's ten calls less the two the first look answered (list_log_files, the payments summary).
    assert.equal(results.length, 8);
    assert.deepEqual(
      events.slice(0, 3).map((e) => e.type),
      ['run_started', 'first_look', 'step_started'],
    );
    assert.ok(!results.some((r) => r.type === 'tool_result' && (r.name === 'list_log_files' || r.name === 'summarize_log')));
    assert.ok(
      results.every((r) => r.type === 'tool_result' && r.ok),
      'every tool call of the demo succeeds',
    );
    assert.equal(events.at(-1)!.type, 'run_finished');
  });

  it('demo: human mode says plainly that the model is a replay, and prints the report and usage table', async () => {
    const { code, stdout } = await cli(['demo', '--fast']);
    assert.equal(code, 0);
    assert.match(stdout, /REPLAY of a recorded run/);
    assert.match(stdout, /══ Triage report ══/);
    assert.match(stdout, /logs\/payments\/payments\.log:107/);
    assert.match(stdout, /Cost per API call \(from the API's usage; cache hit rate \d+%; \$[\d.]+ saved by caching\)/);
    assert.ok(!stdout.includes('\u001b['), 'no colour codes when stdout is not a terminal');
  });

  it('the recorded report cites only lines that exist verbatim in the sample workspace', async () => {
    for (const e of checkoutReport.evidence) {
      // Metrics and deploys are checked against the run's tool results, not the files.
      if (e.kind !== 'log' && e.kind !== 'file') continue;
      const lines = (await readFile(path.join(SAMPLE, e.file), 'utf8')).split('\n');
      assert.ok(lines[e.line - 1]?.includes(e.excerpt), `${e.file}:${e.line} does not contain "${e.excerpt}"`);
    }
    assert.ok(checkoutIncidentScenario);
  });

  describe('triage against an Anthropic-compatible endpoint', () => {
    let server: FakeAnthropic;
    afterEach(async () => server.close());

    it('reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL, writes the ledger, exits 0 with a report', async () => {
      server = await FakeAnthropic.start({ scenario: scriptedTurns([{ content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] }]) });
      const ledger = await mkdtemp(path.join(os.tmpdir(), 'triage-ledger-'));
      try {
        const { code, stdout } = await cli(
          ['triage', '--workspace', SAMPLE, '--log', 'logs/checkout-api.log', '--model', 'claude-opus-4-8', '--max-steps', '3', '--json', '--ledger', ledger, 'checkout is down'],
          {
            ANTHROPIC_API_KEY: TEST_API_KEY,
            ANTHROPIC_BASE_URL: server.url,
          },
        );
        assert.equal(code, 0);
        const started = jsonEvents(stdout)[0]!;
        assert.ok(started.type === 'run_started' && started.model === 'claude-opus-4-8' && started.logFile === 'logs/checkout-api.log' && started.maxSteps === 3);
        const body = server.messageRequests[0]!;
        assert.match(JSON.stringify(body.messages), /start from this log file: logs\/checkout-api\.log/);
        const [file] = await readdir(path.join(ledger, 'runs'));
        const logged = (await readFile(path.join(ledger, 'runs', file!), 'utf8'))
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { type: string });
        assert.deepEqual([logged[0]!.type, logged.at(-1)!.type], ['run_started', 'run_finished']);
        assert.ok(!JSON.stringify(logged).includes(TEST_API_KEY), 'the key never reaches the ledger');
      } finally {
        await rm(ledger, { recursive: true, force: true });
      }
    });

    it('exits 1 when the run fails, with the reason in the events', async () => {
      server = await FakeAnthropic.start({ apiKey: 'sk-ant-other' });
      const { code, stdout } = await cli(['triage', '--workspace', SAMPLE, '--json', 'x'], { ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: server.url });
      assert.equal(code, 1);
      const last = jsonEvents(stdout).at(-1)!;
      assert.ok(last.type === 'run_finished' && last.reason === 'error');
      assert.ok(!stdout.includes(TEST_API_KEY));
    });
  });

  describe('usage errors exit 2 with a clear message', () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['triage', '--workspace', SAMPLE, 'x'], {}, /ANTHROPIC_API_KEY is not set/],
      [['triage', 'x'], { ANTHROPIC_API_KEY: 'k' }, /needs --workspace/],
      [['triage', '--workspace', SAMPLE], { ANTHROPIC_API_KEY: 'k' }, /needs a description/],
      [['triage', '--workspace', '/nonexistent/dir', 'x'], { ANTHROPIC_API_KEY: 'k' }, /does not exist/],
      [['triage', '--workspace', SAMPLE, '--log', '../../../../../../../../etc/passwd', 'x'], { ANTHROPIC_API_KEY: 'k' }, /--log: .*outside the workspace/],
      [['triage', '--workspace', SAMPLE, '--max-steps', '0', 'x'], {}, /--max-steps must be a whole number from 1 to 50/],
      [['triage', '--workspace', SAMPLE, '--thinking', 'lots', 'x'], {}, /--thinking must be a whole number/],
      [['triage', '--bogus'], {}, /Unknown option '--bogus'/],
      [['explode'], {}, /Unknown command "explode"/],
    ];
    for (const [argv, env, message] of cases) {
      it(argv.join(' '), async () => {
        const { code, stderr, stdout } = await cli(argv, env);
        assert.equal(code, 2);
        assert.match(stderr, message);
        assert.equal(stdout, '');
      });
    }
    it('--help prints usage and exits 0', async () => {
      const { code, stdout } = await cli(['--help']);
      assert.equal(code, 0);
      assert.match(stdout, /incident-triage triage --workspace DIR/);
    });
  });

  it('strips terminal escape sequences from text it prints', () => {
    const hostile = 'before\u001b[2J\u001b]0;pwned\u0007\u001b[31mred\u001b[0m\u0008after\ttab\nnext';
    assert.equal(sanitizeForTerminal(hostile), 'beforeredafter\ttab\nnext');
  });
});

describe('incident-triage CLI log settings', () => {
  it('--log-glob narrows which files are logs', async () => {
    let stdout = '';
    const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => undefined }, env: {} };
    const server = await FakeAnthropic.start({
      scenario: scriptedTurns([{ content: [{ type: 'tool_use', name: 'list_log_files', input: {} }] }, { content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] }]),
    });
    try {
      io.env = { ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: server.url };
      const code = await main(['triage', '--workspace', SAMPLE, '--log-glob', '**/nginx/*.log', '--json', 'x'], io);
      assert.equal(code, 0);
      const result = jsonEvents(stdout).find((e) => e.type === 'tool_result');
      assert.ok(result?.type === 'tool_result');
      assert.match(result.preview, /^1 log file .*\nlogs\/nginx\/access\.log/);
    } finally {
      await server.close();
    }
  });
});

describe('incident-triage CLI cost flags and the cost command', () => {
  let server: FakeAnthropic;
  let dir: string;
  beforeEach(async () => {
    server = await FakeAnthropic.start({ scenario: scriptedTurns([{ content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] }]) });
    dir = await mkdtemp(path.join(os.tmpdir(), 'triage-cli-cost-'));
  });
  afterEach(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  const env = () => ({ ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: server.url });

  it('passes --cache-ttl, --budget-usd and --pricing to the run, and records each call in the cost ledger', async () => {
    const pricing = path.join(dir, 'pricing.json');
    await writeFile(pricing, JSON.stringify({ 'claude-opus-4-8': { input: 1, output: 2 } }));
    const { code, stdout } = await cli(
      ['triage', '--workspace', SAMPLE, '--model', 'claude-opus-4-8', '--cache-ttl', '1h', '--budget-usd', '5', '--pricing', pricing, '--ledger', dir, '--json', 'x'],
      env(),
    );
    assert.equal(code, 0);
    assert.deepEqual((server.messageRequests[0]!.system as { cache_control?: unknown }[])[0]!.cache_control, { type: 'ephemeral', ttl: '1h' });
    const usage = jsonEvents(stdout).find((e) => e.type === 'usage');
    assert.ok(usage?.type === 'usage');
    const u = usage.usage;
    const expected = (u.inputTokens * 1 + u.cacheCreation1hInputTokens * 2 + u.cacheReadInputTokens * 0.1 + u.outputTokens * 2) / 1e6;
    assert.ok(Math.abs(usage.costUsd! - expected) < 1e-12);

    const summary = await cli(['cost', '--ledger', dir]);
    assert.equal(summary.code, 0);
    // One call that only wrote 1-hour cache entries: caching has cost more so far, and says so.
    assert.match(summary.stdout, /^1 API calls in 1 runs: \$0\.0\d+; caching added \$0\.0\d+ \(cache writes not yet read back\)/);
    const csv = await cli(['cost', '--ledger', dir, '--csv']);
    assert.equal(csv.stdout.trim().split('\n').length, 2);
    assert.match(csv.stdout, /^time,runId,step,model,/);
  });

  const bad: [string[], RegExp][] = [
    [['--cache-ttl', '2h'], /--cache-ttl must be 5m, 1h or off/],
    [['--budget-usd', '0'], /--budget-usd must be a positive number/],
    [['--pricing', '/nonexistent.json'], /--pricing: cannot read/],
    [['--prometheus-url', 'file:///etc/passwd'], /--prometheus-url must be an http\(s\) URL/],
    [['--prometheus-url', 'not a url'], /--prometheus-url must be a URL such as http:\/\/prometheus:9090/],
  ];
  for (const [flags, message] of bad) {
    it(`rejects ${flags.join(' ')} with exit 2`, async () => {
      const { code, stderr } = await cli(['triage', '--workspace', SAMPLE, ...flags, 'x'], env());
      assert.equal(code, 2);
      assert.match(stderr, message);
    });
  }

  it('rejects a pricing file of the wrong shape, saying what is expected', async () => {
    const pricing = path.join(dir, 'pricing.json');
    await writeFile(pricing, JSON.stringify({ 'claude-x': { input: 'cheap' } }));
    const { code, stderr } = await cli(['triage', '--workspace', SAMPLE, '--pricing', pricing, 'x'], env());
    assert.equal(code, 2);
    assert.match(stderr, /--pricing: .*input[\s\S]*Expected \{"model-id": \{"input": 3, "output": 15\}\}/);
  });
});

import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gitChangesOfRoots } from '../../../src/tools/deploys/gitRoots';
import { compareLogWindowsTool, runComparison, type CompareInput } from '../../../src/tools/logs/compareLogWindows';
import { COMPARISON_BUDGET_CHARS, formatComparison } from '../../../src/tools/logs/formatComparison';
import { resolveLogTargets } from '../../../src/tools/logs/targets';
import { SAMPLE_CHARS, compareWindows, type ComparisonWindows } from '../../../src/tools/logs/windowComparison';
import { ToolRegistry, type ToolCallOutcome, type ToolContext } from '../../../src/tools/registry';
import { workspaceWithEscape, writeFiles, type EscapingWorkspace } from '../../fixtures/workspace';
import { commit, git } from './gitFixture';
import { at, plantedIncident } from './plantedIncident';

const NOW = at('15:00:00');
const INCIDENT: ComparisonWindows = { incident: { start: at('14:00:00'), end: at('15:00:00') }, baseline: { start: at('13:00:00'), end: at('14:00:00') } };

describe('compare_log_windows', () => {
  const planted = plantedIncident();
  let ws: EscapingWorkspace;
  let root: string;
  const ctx = (): ToolContext => ({ workspaceRoots: [root], signal: new AbortController().signal, now: () => NOW });
  const compare = async (args: CompareInput) => (await runComparison(args, ctx())).text;
  const registry = new ToolRegistry([compareLogWindowsTool({})]);
  /** Through the registry, as the model calls it: validation, bounds and failures as the model sees them. */
  const call = async (input: unknown): Promise<Pick<ToolCallOutcome, 'ok' | 'content' | 'truncationNote'>> => {
    const prepared = registry.prepare('compare_log_windows', input);
    if (!prepared.ok) return { ok: false, content: prepared.content };
    return registry.run(prepared.call, ctx(), { timeoutMs: 20_000 });
  };
  /** Runs `body` with `files` written into the workspace, and removes them after. */
  const withFiles = async (files: Record<string, string | Buffer>, body: () => Promise<void>) => {
    await writeFiles(root, files);
    try {
      await body();
    } finally {
      for (const name of Object.keys(files)) await rm(path.join(root, name), { force: true });
    }
  };

  before(async () => {
    ws = await workspaceWithEscape('triage-compare', planted.files, { link: 'logs/link.log', content: '2026-11-20T14:30:00Z ERROR secret outside the workspace\n' });
    root = ws.root;
    git(root, ['init', '-q', '-b', 'main']);
    await commit(root, 'services/payments/gateway.yml', 'payments: lower gateway timeout', '2026-11-20T13:50:00Z');
    await commit(root, 'docs/README.md', 'docs: typo', '2026-11-20T14:20:00Z');
    await writeFile(path.join(root, 'deploys.json'), JSON.stringify([{ service: 'payments', version: '2.15.0', time: '2026-11-20T14:03:00Z', author: 'ci-bot', description: 'Deploy payments' }]));
  });
  after(async () => ws.dispose());

  describe('the structured core', () => {
    const targets = async (files?: string[]) => (await resolveLogTargets([root], files ?? ['logs/app.log', 'logs/app.log.1.gz'])).targets;

    it('finds the planted new error, surge and silenced heartbeat, and not the steady background', async () => {
      const c = await compareWindows(await targets(), INCIDENT);
      assert.deepEqual(
        c.new.map((t) => [t.template, t.level, t.incidentCount, t.baselineCount]),
        [['charge declined: gateway acme returned <*>', 'error', planted.counts.charges, 0]],
      );
      assert.deepEqual(c.new[0]!.firstSeen, {
        ms: at('14:04:00'),
        file: 'logs/app.log',
        line: planted.lines.firstCharge,
        sample: '2026-11-20T14:04:00.000Z ERROR [payments] charge declined: gateway acme returned 502',
      });
      assert.equal(c.totals.new, 1, 'the known error, logged in the baseline only in the gzipped rotation, is not new');

      assert.equal(c.surging.length, 1);
      const surge = c.surging[0]!;
      assert.match(surge.template, /upstream latency high in region/);
      assert.deepEqual([surge.incidentCount, surge.baselineCount], [planted.counts.surgeIncident, planted.counts.surgeBaseline]);
      // Rates per covered time: the incident window's logs end at 14:59:50, the baseline's cover the full hour.
      const expected = planted.counts.surgeIncident / (at('14:59:50') + 1 - at('14:00:00')) / (planted.counts.surgeBaseline / 3_600_000);
      assert.ok(Math.abs(surge.rateRatio! - expected) < 1e-9, `${surge.rateRatio} vs ${expected}`);

      assert.deepEqual(
        c.quiet.map((t) => [t.template, t.baselineCount, t.incidentCount]),
        [['heartbeat ok', planted.counts.heartbeats, 0]],
      );
      assert.deepEqual(c.quiet[0]!.lastSeen, { ms: at('13:59:30'), file: 'logs/app.log', line: planted.lines.lastHeartbeat }, 'the out-of-order heartbeat is the last one, and still in the baseline');
      assert.equal(c.partial, undefined);
    });

    it('counts lines per window: stack traces with their entry, lines before any timestamp apart', async () => {
      await withFiles({ 'logs/untimed.log': 'starting up\nno clock yet\n2026-11-20T14:10:00Z INFO ready\n    detail of ready\n2026-11-20T12:00:00Z INFO long ago\n' }, async () => {
        const c = await compareWindows(await targets(['logs/untimed.log']), INCIDENT);
        assert.deepEqual(c.files, [{ file: 'logs/untimed.log', lines: 5, incidentLines: 2, baselineLines: 0, untimed: 2, complete: true }]);
        assert.deepEqual(c.lines, { read: 5, incident: 2, baseline: 0, untimed: 2, outside: 1 });
        assert.deepEqual([c.new, c.surging, c.quiet], [[], [], []], 'without baseline lines nothing is classified');
      });
    });

    it('names the nearest deploy or commit at or before each new template, from a real git history too', async () => {
      const git = await gitChangesOfRoots([root], at('12:00:00'), at('15:00:00'), new AbortController().signal);
      const fromGit = await compareWindows(await targets(), INCIDENT, { changes: git.changes });
      assert.equal(fromGit.new[0]!.precedingChange?.subject, 'payments: lower gateway timeout', 'the 13:50 commit; the 14:20 one came after');
      const deploy = { time: at('14:03:00'), kind: 'deploy' as const, ref: '2.15.0', service: 'payments', subject: 'Deploy payments', source: 'deploys.json' };
      const withDeploy = await compareWindows(await targets(), INCIDENT, { changes: [...git.changes, deploy] });
      assert.deepEqual(withDeploy.new[0]!.precedingChange, deploy);
    });

    it('stops at a time budget and says the result is partial', async () => {
      const nothing = await compareWindows(await targets(), INCIDENT, { budgetMs: 0 });
      assert.match(nothing.partial!.reason, /time budget of 0 ms ran out/);
      assert.deepEqual([...nothing.partial!.unread].sort(), ['logs/app.log', 'logs/app.log.1.gz']);
      assert.equal(nothing.lines.read, 0);
      assert.match(
        formatComparison(nothing),
        /^PARTIAL: the time budget of 0 ms ran out; results cover only what was read \(not read: logs\/app\.log(\.1\.gz)?, logs\/app\.log(\.1\.gz)?\)\.\nNothing compared: the time budget of 0 ms ran out before both windows had lines/m,
      );

      const big = Array.from({ length: 400_000 }, (_, i) => `2026-11-20T14:${String(Math.floor(i / 8000)).padStart(2, '0')}:00Z INFO steady line ${i}`).join('\n');
      await withFiles({ 'logs/big.log': big }, async () => {
        const some = await compareWindows(await targets(['logs/big.log']), INCIDENT, { budgetMs: 5 });
        assert.ok(some.partial, 'reading 400,000 lines takes longer than 5 ms');
        assert.ok(some.lines.read < 400_000, `${some.lines.read} lines read`);
      });
    });

    it('judges JSON lines by their message and level fields', async () => {
      const events: string[] = [];
      for (let m = 0; m < 120; m++) {
        const time = new Date(at('13:00:00') + m * 60_000).toISOString();
        events.push(JSON.stringify({ time, level: 'info', msg: `consumer poll ok batch=${m}` }));
        if (m >= 75) events.push(JSON.stringify({ time, level: 'error', msg: `consumer lag above threshold partition=${m % 4}`, trace: 'abc' }));
      }
      await withFiles({ 'logs/events.jsonl': events.join('\n') + '\n' }, async () => {
        const c = await compareWindows(await targets(['logs/events.jsonl']), INCIDENT);
        assert.deepEqual(
          c.new.map((t) => [t.template, t.level, t.incidentCount, t.firstSeen.ms, t.firstSeen.line]),
          [['consumer lag above threshold partition=<*>', 'error', 45, at('14:15:00'), 77]],
        );
        assert.equal(c.surging.length + c.quiet.length, 0);
      });
    });

    it('judges "new" on the final templates: a line read before the baseline line it generalises is not new', async () => {
      // The incident line comes first in the file: when it is mined, its template has not been seen in the baseline yet.
      const lines = ['2026-11-20T14:10:00Z INFO payment declined for customer bob', '2026-11-20T13:10:00Z INFO payment declined for customer alice'];
      await withFiles({ 'logs/users.log': lines.join('\n') }, async () => {
        const c = await compareWindows(await targets(['logs/users.log']), INCIDENT);
        assert.deepEqual([c.lines.incident, c.lines.baseline], [1, 1]);
        assert.equal(c.totals.new, 0);
      });
    });
  });

  describe('the tool', () => {
    it('reports the windows used, the files read, and the planted changes with the deploy before the new error', async () => {
      const text = await compare({ incident_start: '2026-11-20T14:00:00Z', files: ['logs/app.log*'] });
      const lines = text.split('\n');
      assert.equal(lines[0], 'Incident window: 2026-11-20T14:00:00.000Z → 2026-11-20T15:00:00.000Z (1h 0m; default end: the minute after the last line of the logs)');
      assert.equal(lines[1], 'Baseline window: 2026-11-20T13:00:00.000Z → 2026-11-20T14:00:00.000Z (1h 0m; default: the same length just before the incident)');
      assert.match(lines[2]!, /^Read 2 files, [\d,]+ lines: [\d,]+ in the incident window, [\d,]+ in the baseline, 0 outside both, 0 without a timestamp/);
      assert.match(text, /NEW in the incident window \(1 template never seen in the baseline; in order of first appearance\):\n {2}\d+× \[error\] charge declined: gateway acme returned <\*>\n/);
      assert.match(
        text,
        new RegExp(
          `first 2026-11-20T14:04:00\\.000Z at logs/app\\.log:${planted.lines.firstCharge}; 1m after deploy payments 2\\.15\\.0 at 2026-11-20T14:03:00\\.000Z "Deploy payments" \\[deploys\\.json\\]`,
        ),
      );
      assert.match(
        text,
        /SURGING \(1 template at 3× the baseline rate or more, with at least 10 lines in the incident window; rates per covered time\):\n {2}20\.1× the baseline rate: 120 in the incident window vs 6 in the baseline/,
      );
      assert.match(
        text,
        new RegExp(`WENT QUIET .*\\n {2}61 in the baseline, 0 since — \\[info\\] heartbeat ok\\n {5}last seen 2026-11-20T13:59:30\\.000Z at logs/app\\.log:${planted.lines.lastHeartbeat}`),
      );
      assert.doesNotMatch(text, /payment retry scheduled/, 'the steady known error is neither new, surging nor quiet');
      assert.doesNotMatch(text, /Gateway\.java/, 'stack-trace lines belong to their entry, not templates of their own');
    });

    it('takes relative bounds, an explicit baseline, and reads every log by default without following a link out of the workspace', async () => {
      const text = await compare({ incident_start: '60m', incident_end: '0m', baseline_start: '2026-11-20T13:30:00Z', baseline_end: '2026-11-20T14:00:00Z' });
      assert.match(text, /^Incident window: 2026-11-20T14:00:00\.000Z → 2026-11-20T15:00:00\.000Z \(1h 0m\)\nBaseline window: 2026-11-20T13:30:00\.000Z → 2026-11-20T14:00:00\.000Z \(30m\)\n/);
      assert.doesNotMatch(text, /secret outside/);
      // With the gzipped half hour outside the baseline, the known error is new after all: the baseline decides.
      assert.match(text, /NEW in the incident window \(2 templates/);
      assert.match(text, /payment retry scheduled for order <\*>/);
    });

    it('refuses bad windows with a message that says what to fix', async () => {
      const cases: [CompareInput, RegExp][] = [
        [{ incident_start: '2026-11-20T14:00:00Z', incident_end: '2026-11-20T13:00:00Z' }, /"incident_end" \(2026-11-20T13:00:00\.000Z\) must be after "incident_start" \(2026-11-20T14:00:00\.000Z\)/],
        [{ incident_start: 'yesterday-ish' }, /"incident_start" must be an ISO 8601 time such as .* got "yesterday-ish"/],
        [
          { incident_start: '2026-11-20T14:00:00Z', baseline_start: '2026-11-20T13:30:00Z', baseline_end: '2026-11-20T14:30:00Z' },
          /The baseline \(.*\) overlaps the incident window \(.*\): the baseline must end at or before "incident_start"/,
        ],
        [{ incident_start: '2026-11-20T14:00:00Z', baseline_start: '2026-11-20T13:30:00Z', baseline_end: '2026-11-20T13:00:00Z' }, /"baseline_end" \(.*\) must be after "baseline_start"/],
        [
          { incident_start: '2026-11-20T16:00:00Z', files: ['logs/app.log'] },
          /"incident_start" \(2026-11-20T16:00:00\.000Z\) is after the last timestamp at the end of the logs \(2026-11-20T14:59:50\.000Z\)/,
        ],
      ];
      for (const [args, message] of cases) await assert.rejects(compare(args), message, JSON.stringify(args));
    });

    it('says clearly when the files have no timestamps, or a window holds no line', async () => {
      await withFiles({ 'logs/plain.log': 'starting\nready\nstopping\n' }, async () => {
        const outcome = await call({ incident_start: '2026-11-20T14:00:00Z', files: ['logs/plain.log'] });
        assert.equal(outcome.ok, false);
        assert.match(outcome.content, /None of the 1 files read \(logs\/plain\.log\) has a line with a timestamp this tool recognises/);
      });
      const early = await compare({ incident_start: '2026-11-20T14:00:00Z', baseline_start: '2026-11-19T10:00:00Z', baseline_end: '2026-11-19T11:00:00Z', files: ['logs/app.log*'] });
      assert.match(early, /Nothing to compare: the baseline window holds no log line, so nothing can be called new\. The logs read span 2026-11-20T13:00:00\.000Z → 2026-11-20T14:59:50\.000Z/);
    });

    it('refuses files outside the workspace with the confinement of the other log tools', async () => {
      for (const files of [['../../../../../etc/passwd'], ['logs/link.log'], ['/etc/hostname']]) {
        const outcome = await call({ incident_start: '2026-11-20T14:00:00Z', files });
        assert.equal(outcome.ok, false, files[0]);
        assert.match(outcome.content, /resolves outside the workspace/, files[0]);
      }
    });

    it('counts the notes past the first five, so many skipped files cannot crowd out the comparison', async () => {
      const binaries = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`logs/bin/core${i}.log`, Buffer.concat([Buffer.from('ELF'), Buffer.alloc(64)])]));
      await withFiles(binaries, async () => {
        const text = await compare({ incident_start: '2026-11-20T14:00:00Z', files: ['logs/app.log*', 'logs/bin/*.log'] });
        assert.equal(text.match(/^\[skipped logs\/bin\/core\d\.log: binary file, not text\]$/gm)?.length, 5);
        assert.match(text, /^\[3 more notes like these\]$/m);
        assert.match(text, /NEW in the incident window \(1 template/);
      });
    });

    it('validates its arguments against its schema', async () => {
      const schema = registry.definitions()[0]!.input_schema;
      assert.deepEqual(schema.required, ['incident_start']);
      assert.match(registry.definitions()[0]!.description ?? '', /^Use this first when you know roughly when it started/);
      const outcome = await call({ incident_start: '2h', limit: 500 });
      assert.equal(outcome.ok, false);
      assert.match(outcome.content, /limit/);
    });

    it('stays within its output budget with many new templates, keeping the new error and the other sections', async () => {
      // Letters only, so no two lines share a token: each is a template of its own.
      const word = (n: number) => {
        let w = '';
        do {
          w += String.fromCharCode(97 + (n % 26));
          n = Math.floor(n / 26);
        } while (n > 0);
        return w;
      };
      const lines: string[] = [];
      for (let m = 0; m < 60; m++) {
        lines.push(`${new Date(at('13:00:00') + m * 60_000).toISOString()} INFO heartbeat of the noisy service`);
        if (m % 10 === 0) lines.push(`${new Date(at('13:00:00') + m * 60_000).toISOString()} WARN queue depth high`);
      }
      for (let i = 0; i < 300; i++) {
        const time = new Date(at('14:00:00') + i * 10_000).toISOString();
        const tokens = [0, 1, 2, 3].map((k) => `${word(i * 4 + k)}${'abcd'[k]}`);
        lines.push(`${time} INFO ${tokens.join(' ')} ${`${word(i)}q`.repeat(100)}`, `${time} WARN queue depth high`);
      }
      lines.push('2026-11-20T14:55:00Z ERROR disk full on volume data');
      await withFiles({ 'logs/noisy.log': lines.join('\n') + '\n' }, async () => {
        const outcome = await call({ incident_start: '2026-11-20T14:00:00Z', incident_end: '2026-11-20T15:00:00Z', files: ['logs/noisy.log'], limit: 50 });
        assert.equal(outcome.ok, true);
        assert.equal(outcome.truncationNote, undefined, 'the tool bounds itself; the registry does not have to cut it');
        const text = outcome.content;
        assert.ok(text.length <= COMPARISON_BUDGET_CHARS, `${text.length} characters`);
        assert.match(text, /NEW in the incident window \(\d{3} templates/);
        assert.match(text, /\[\d+ more templates not shown \(output budget\); narrow the windows or the files, or raise limit\]/);
        assert.match(text, /\[error\] disk full on volume data/, 'a new error is kept when info lines crowd the list');
        assert.match(text, /SURGING \(1 template[^\n]*\n {2}[\d.]+× the baseline rate: 300 in the incident window vs 6 in the baseline — \[warn\] queue depth high/);
        assert.match(text, /WENT QUIET \(1 template[^\n]*\n {2}60 in the baseline, 0 since — \[info\] heartbeat of the noisy service/);
        const sample = text.split('\n').find((l) => l.startsWith('     e.g. ') && l.includes(' INFO '))!;
        assert.match(sample, /… \[line cut: [\d,]+ bytes\]$/, 'long samples are cut as the other log tools cut lines');
        assert.ok(sample.length < 'e.g. '.length + 5 + SAMPLE_CHARS + ' … [line cut: 1,000 bytes]'.length, sample);
      });
    });
  });
});

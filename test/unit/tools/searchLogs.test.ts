import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runSearch, searchLogsTool, type SearchScope } from '../../../src/tools/logs/searchLogs';
import { ToolRegistry, type ToolSpec } from '../../../src/tools/registry';
import { readLogTool } from '../../../src/tools/logs/readLog';
import { summarizeLogTool } from '../../../src/tools/logs/summarizeLog';
import { findRipgrepOnPath } from '../../../src/tools/logs/ripgrep';
import type { ToolContext } from '../../../src/tools/registry';
import { workspaceWithEscape, type EscapingWorkspace } from '../../fixtures/workspace';

const NOW = Date.UTC(2026, 10, 20, 15, 0, 0);
const toolSchema = (tool: ToolSpec) => new ToolRegistry([tool]).definitions()[0]!.input_schema;
const rg = findRipgrepOnPath();

const APP_LOG = [
  '2026-11-20T14:00:00Z INFO  service started',
  '2026-11-20T14:01:00Z WARN  slow query took 900ms',
  '2026-11-20T14:02:00Z ERROR payment failed: timeout after 3000ms',
  'java.lang.IllegalStateException: pool exhausted',
  '    at com.shop.Pool.acquire(Pool.java:42)',
  '2026-11-20T14:03:00Z INFO  retrying payment',
  '2026-11-20T14:04:00Z ERROR payment failed: TIMEOUT after 3000ms',
  '2026-11-20T13:30:00Z ERROR late line from a buffered writer: timeout',
].join('\r\n');

describe('search_logs, read_log and hostile inputs', () => {
  let ws: EscapingWorkspace;
  let root: string;

  before(async () => {
    const files: Record<string, string | Buffer> = {
      'logs/app.log': APP_LOG,
      'logs/app.log.1.gz': gzipSync('2026-11-19T10:00:00Z ERROR payment failed: timeout in yesterday\n'),
      'logs/events.jsonl': '{"ts":1763647200,"level":"error","msg":"timeout talking to db"}\n{"ts":1763647260,"level":"info","msg":"ok"}\n',
      'logs/core.log': Buffer.concat([Buffer.from('ELF'), Buffer.alloc(64), Buffer.from('timeout')]),
      'logs/latin1.log': Buffer.concat([Buffer.from('2026-11-20T14:00:00Z ERROR caf'), Buffer.from([0xe9]), Buffer.from(' timeout\n')]),
      'logs/empty.log': '',
      'logs/huge-line.log': `2026-11-20T14:00:00Z INFO before\n2026-11-20T14:00:01Z INFO timeout ${'x'.repeat(10 * 1024 * 1024)} needle-at-the-end\n2026-11-20T14:00:02Z ERROR after the long line: timeout\n`,
    };
    ws = await workspaceWithEscape('triage-search', files, { link: 'logs/link.log', content: '2026-11-20T14:00:00Z ERROR timeout outside\n' });
    root = ws.root;
  });
  after(async () => ws.dispose());

  const engines: [string, string | undefined][] = [
    ['node', undefined],
    ['ripgrep', rg],
  ];
  for (const [engine, ripgrepPath] of engines) {
    describe(`with the ${engine} engine`, function () {
      before(function () {
        if (engine === 'ripgrep' && !ripgrepPath) {
          console.log('    (skipped: no rg on PATH; install ripgrep to test delegation)');
          this.skip();
        }
      });
      const ctx = (): SearchScope => ({ workspaceRoots: [root], signal: new AbortController().signal, settings: { ripgrepPath } });
      const search = (args: Parameters<typeof runSearch>[0]) => runSearch(args, ctx(), NOW).then((r) => r.text);

      it('finds literals case-insensitively, with file, line, UTC time and level, and counts across files', async () => {
        const text = await search({ query: 'timeout', files: ['logs/app.log', 'logs/app.log.1.gz', 'logs/events.jsonl'] });
        assert.match(text, /== logs\/app\.log ==\n3: \[2026-11-20T14:02:00\.000Z error\] 2026-11-20T14:02:00Z ERROR payment failed: timeout after 3000ms/);
        assert.match(text, /7: \[2026-11-20T14:04:00\.000Z error\] .*TIMEOUT/);
        assert.match(text, /== logs\/app\.log\.1\.gz ==\n1: \[2026-11-19T10:00:00\.000Z error\]/);
        assert.match(text, /== logs\/events\.jsonl ==\n1: \[2025-11-20T14:00:00\.000Z error\]/);
        assert.match(text, /5 matches in 3 files\.$/);
        assert.doesNotMatch(text, /\r/, 'CRLF is stripped');
      });

      it('filters by level and time window, out-of-order lines included, stack traces taking the time of their entry', async () => {
        const text = await search({ query: 'pool|timeout', regex: true, files: ['logs/app.log'], levels: ['error'], since: '2026-11-20T13:00:00Z', until: '2026-11-20T14:03:00Z' });
        assert.match(text, /^== logs\/app\.log ==\n3: /);
        assert.match(text, /\n8: \[2026-11-20T13:30:00\.000Z error\]/, 'a line earlier than its neighbours is still found');
        assert.doesNotMatch(text, /\n7: /, '14:04 is after the window');
        const traces = await search({ query: 'pool exhausted', files: ['logs/app.log'], since: '2026-11-20T14:01:30Z', until: '2026-11-20T14:02:30Z' });
        assert.match(traces, /4: \[2026-11-20T14:02:00\.000Z\] java\.lang\.IllegalStateException: pool exhausted/);
        assert.match(await search({ query: 'pool exhausted', files: ['logs/app.log'], since: '2026-11-20T14:03:00Z' }), /^No matches/);
      });

      it('shows context lines and respects the case-sensitive flag', async () => {
        const text = await search({ query: 'IllegalStateException', files: ['logs/app.log'], context_lines: 1 });
        assert.match(text, /3- 2026-11-20T14:02:00Z ERROR payment failed: timeout after 3000ms\n4: .*IllegalStateException: pool exhausted\n5- {5}at com\.shop\.Pool\.acquire/);
        assert.match(await search({ query: 'TIMEOUT', case_sensitive: true, files: ['logs/app.log'] }), /^== logs\/app\.log ==\n7: .*\n1 match in 1 file\.$/);
      });

      it('limits what it shows, counts the rest, and says how to narrow', async () => {
        const text = await search({ query: 'payment', files: ['logs/app.log'], limit: 1 });
        assert.match(text, /showing 1 of 3 matches in 1 file; add `levels` or a time range or a more specific query to narrow\.$/);
      });

      it('cuts a 10 MB line in results, says so, and still finds what follows it', async () => {
        const text = await search({ query: 'timeout', files: ['logs/huge-line.log'] });
        assert.match(text, /2: .* … \[line cut: 10,485,\d{3} bytes\]/);
        assert.match(text, /3: \[2026-11-20T14:00:02\.000Z error\] .*after the long line/);
        assert.ok(text.length < 8000);
        // Past the first MiB of a line only ripgrep can see (the Node scan keeps memory bounded instead).
        const tail = await search({ query: 'needle-at-the-end', files: ['logs/huge-line.log'] });
        assert.match(tail, engine === 'ripgrep' ? /^== logs\/huge-line\.log ==\n2: / : /^No matches/);
      });

      it('skips a binary file with a note, and reads invalid UTF-8 as text', async () => {
        const text = await search({ query: 'timeout', files: ['logs/core.log', 'logs/latin1.log', 'logs/empty.log'] });
        assert.match(text, /\[skipped logs\/core\.log: binary file, not text\]/);
        assert.match(text, /logs\/latin1\.log ==\n1: .*caf\uFFFD timeout/);
      });

      it('cannot be hung by a catastrophic regex', async () => {
        await writeFile(path.join(root, 'logs/redos.log'), `${'a'.repeat(5000)}!\n`.repeat(20));
        const t0 = Date.now();
        const text = await search({ query: '(a+)+$', regex: true, files: ['logs/redos.log'] });
        assert.ok(Date.now() - t0 < 2000, `took ${Date.now() - t0} ms`);
        // A backtracking engine needs about 2^5000 steps to say no for each of these lines.
        assert.match(text, /^No matches for regex/);
        assert.match(await search({ query: '^(a+)+!$', regex: true, files: ['logs/redos.log'] }), /20 matches in 1 file/);
        // With an anchor every line holds ("aaa"), the Node scan's raw-block path tests each line with the same linear engine.
        const t1 = Date.now();
        assert.match(await search({ query: 'aaa(a+)+b$|(a+)+a?c$', regex: true, files: ['logs/redos.log'] }), /^No matches for regex/);
        assert.ok(Date.now() - t1 < 2000, `took ${Date.now() - t1} ms`);
      });
    });
  }

  describe('errors the model can correct', () => {
    const ctx = (): ToolContext => ({ workspaceRoots: [root], signal: new AbortController().signal });
    const cases: [string, Parameters<typeof runSearch>[0], RegExp][] = [
      ['lookaround (not RE2)', { query: '(?<=x)y', regex: true }, /Invalid regular expression: .*Use RE2 syntax/],
      ['an unparseable regex', { query: '(unclosed', regex: true }, /Invalid regular expression/],
      ['a bad time', { query: 'x', since: 'yesterday-ish' }, /"since" must be an ISO 8601 time .* or relative to now such as 30m/],
      ['since after until', { query: 'x', since: '2026-11-20T15:00:00Z', until: '2026-11-20T14:00:00Z' }, /"since" \(2026-11-20T15:00:00\.000Z\) is after "until"/],
      ['a path outside the workspace', { query: 'x', files: ['../../../../../etc/passwd'] }, /outside the workspace/],
      ['a symlink out of the workspace', { query: 'x', files: ['logs/link.log'] }, /outside the workspace/],
      ['an absolute path outside', { query: 'x', files: ['/etc/hostname'] }, /outside the workspace/],
      ['a glob that climbs out', { query: 'x', files: ['../**/*.log'] }, /must be workspace-relative/],
    ];
    for (const [name, args, message] of cases) {
      it(name, async () => {
        await assert.rejects(runSearch(args, ctx(), NOW), message);
      });
    }
    it('refuses a NUL byte in the query before anything runs, saying what to do', () => {
      const registry = new ToolRegistry([searchLogsTool({})]);
      const prepared = registry.prepare('search_logs', { query: 'timeout\u0000' });
      assert.equal(prepared.ok, false);
      assert.match((prepared as { content: string }).content, /The query contains a NUL byte \(\\u0000\), which no text log holds .*remove it and search again/);
      assert.equal(registry.prepare('search_logs', { query: 'a\\x00b', regex: true }).ok, true, 'a regex escape for the byte is not a NUL byte');
    });
    it('tells the model the regex dialect is RE2, with examples', () => {
      const regex = (toolSchema(searchLogsTool({})).properties as Record<string, { description: string }>).regex!.description;
      assert.match(regex, /RE2 regular expression/);
      assert.match(regex, /no lookaround such as \(\?=\.\.\.\) or \(\?<!\.\.\.\), no backreferences/);
      assert.match(regex, /"timeout\|timed out"/);
      assert.doesNotMatch(JSON.stringify(toolSchema(searchLogsTool({}))), /JavaScript/);
    });
    it('relative times count back from now', async () => {
      const text = await runSearch({ query: 'payment', files: ['logs/app.log'], since: '1h' }, ctx(), NOW);
      assert.match(text.text, /3 matches/);
      assert.match((await runSearch({ query: 'payment', files: ['logs/app.log'], since: '30m' }, ctx(), NOW)).text, /^No matches/);
    });
  });

  it('stops reading a gzip bomb with a note instead of expanding it', async function () {
    this.timeout(20_000);
    await writeFile(path.join(root, 'logs/bomb.log.gz'), gzipSync(Buffer.alloc(80 * 1024 * 1024, 'a')));
    const t0 = Date.now();
    const { text } = await runSearch({ query: 'timeout', files: ['logs/bomb.log.gz'] }, { workspaceRoots: [root], signal: new AbortController().signal, settings: { ripgrepPath: rg } }, NOW);
    assert.match(text, /\[stopped reading logs\/bomb\.log\.gz: it expands more than 100× .*a gzip bomb, or not a log\]/);
    assert.ok(Date.now() - t0 < 10_000);
    await rm(path.join(root, 'logs/bomb.log.gz'));
  });

  describe('read_log', () => {
    const ctx = (): ToolContext => ({ workspaceRoots: [root], signal: new AbortController().signal });
    it('reads a range or the lines around one, with numbers', async () => {
      assert.equal(
        (await readLogTool({}).run({ file: 'logs/app.log', start_line: 3, end_line: 4 }, ctx())).text,
        'logs/app.log lines 3-4:\n3| 2026-11-20T14:02:00Z ERROR payment failed: timeout after 3000ms\n4| java.lang.IllegalStateException: pool exhausted',
      );
      assert.match((await readLogTool({}).run({ file: 'logs/app.log', around_line: 8, radius: 2 }, ctx())).text, /^logs\/app\.log lines 6-8 \(end of file at line 8\):\n6\| /);
      assert.match((await readLogTool({}).run({ file: 'logs/app.log', start_line: 1, end_line: 1000 }, ctx())).text, /capped at 200 lines/);
      assert.match((await readLogTool({}).run({ file: 'logs/app.log', start_line: 50, end_line: 60 }, ctx())).text, /has only 8 lines/);
    });
    it('validates its arguments', () => {
      assert.equal(readLogTool({}).input.safeParse({ file: 'a', start_line: 1 }).success, false);
      assert.equal(readLogTool({}).input.safeParse({ file: 'a', start_line: 5, end_line: 2 }).success, false);
      assert.equal(readLogTool({}).input.safeParse({ file: 'a', start_line: 1, end_line: 2, around_line: 1 }).success, false);
      assert.equal(readLogTool({}).input.safeParse({ file: 'a', around_line: 10 }).success, true);
    });
    it('refuses paths outside the workspace and binary files', async () => {
      await assert.rejects(readLogTool({}).run({ file: 'logs/link.log', start_line: 1, end_line: 2 }, ctx()), /outside the workspace/);
      await assert.rejects(readLogTool({}).run({ file: 'logs/core.log', start_line: 1, end_line: 2 }, ctx()), /binary file/);
      await assert.rejects(summarizeLogTool({}).run({ file: '/etc/passwd' }, ctx()), /outside the workspace/);
    });
  });
});

import assert from 'node:assert/strict';
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runSearch, type SearchInput, type SearchScope } from '../../../src/tools/logs/searchLogs';
import { RipgrepError, findRipgrepOnPath, ripgrepFiles, type RipgrepHit } from '../../../src/tools/logs/ripgrep';
import { workspaceWithEscape, type EscapingWorkspace } from '../../fixtures/workspace';

const NOW = Date.UTC(2026, 10, 20, 15, 0);
const FILES = 300;
const rg = findRipgrepOnPath();

/** A small service log; every seventh has an error with a stack trace, every thirteenth a syslog-style line without a year. */
function logFor(i: number): string {
  const minute = String(i % 60).padStart(2, '0');
  const lines = [`2026-11-20T14:${minute}:00Z INFO request ${i} ok`, `2026-11-20T14:${minute}:01Z DEBUG cache hit for id=${i}`];
  if (i % 7 === 0)
    lines.push(`2026-11-20T14:${minute}:02Z ERROR payment ${i} failed: Timeout after 3000ms`, 'java.lang.IllegalStateException: pool exhausted', '    at com.shop.Pool.acquire(Pool.java:42)');
  if (i % 13 === 0) lines.push(`Nov 20 14:${minute}:03 host app[1]: WARN timeout retrying ${i}`);
  lines.push(`2026-11-20T14:${minute}:04Z INFO request ${i} done`);
  return lines.join(i % 2 ? '\r\n' : '\n') + '\n';
}

/**
 * Hundreds of small files: ripgrep searches them in one process (or a few), and the result must
 * be what the Node scan gives, file by file and line by line — the order, the counts, the
 * timestamps, the levels, the context, the time window and the limit.
 */
describe('search_logs over many small files', function () {
  this.timeout(30_000);
  let ws: EscapingWorkspace;
  let root: string;

  before(async function () {
    if (!rg) this.skip();
    const files: Record<string, string | Buffer> = {};
    for (let i = 0; i < FILES; i++) {
      const name = `logs/svc${i % 9}/part-${String(i).padStart(3, '0')}.log`;
      // Some rotations are gzipped and sort between plain files: they take the Node path mid-run.
      files[i % 23 === 0 ? `${name}.gz` : name] = i % 23 === 0 ? gzipSync(logFor(i)) : logFor(i);
    }
    files['logs/empty.log'] = '';
    ws = await workspaceWithEscape('triage-many', files, { link: 'logs/escape.log', content: 'outside\n' });
    root = ws.root;
    // A year-less syslog line takes its year from the file's modification time.
    await utimes(path.join(root, 'logs/svc0/part-000.log.gz'), new Date('2025-12-01'), new Date('2025-12-01'));
    await utimes(path.join(root, 'logs/svc4/part-013.log'), new Date('2027-02-01'), new Date('2027-02-01'));
  });
  after(async () => ws?.dispose());

  const search = async (args: SearchInput, ripgrepPath?: string) => {
    const ctx: SearchScope = { workspaceRoots: [root], signal: new AbortController().signal, settings: { ripgrepPath } };
    return (await runSearch(args, ctx, NOW)).text;
  };

  const QUERIES: [string, SearchInput][] = [
    ['a literal in every file, counted past the limit', { query: 'request', limit: 200 }],
    ['a case-insensitive literal with context', { query: 'timeout', context_lines: 2, limit: 120 }],
    ['case-sensitive', { query: 'Timeout', case_sensitive: true, limit: 200 }],
    ['a regex with a level filter', { query: 'payment \\d+ failed|retrying', regex: true, levels: ['error', 'warn'], limit: 200 }],
    [
      'stack-trace lines inside a time window take the time of their entry',
      { query: 'pool exhausted|Pool\\.acquire', regex: true, since: '2026-11-20T14:10:00Z', until: '2026-11-20T14:30:00Z', limit: 200 },
    ],
    ['a narrow glob and a small limit', { query: 'ok', files: ['logs/svc3/**'], limit: 5 }],
    ['nothing found', { query: 'no such text anywhere' }],
  ];
  for (const [name, args] of QUERIES) {
    it(`gives what the Node scan gives: ${name}`, async () => {
      const viaRipgrep = await search(args, rg);
      assert.equal(viaRipgrep, await search(args));
    });
  }

  it('counts every match in every file', async () => {
    assert.match(await search({ query: 'request', limit: 1 }, rg), new RegExp(`showing 1 of ${(FILES * 2).toLocaleString('en-US')} matches in ${FILES} files;`));
    const errors = Math.ceil(FILES / 7);
    assert.match(await search({ query: 'failed', levels: ['error'], limit: 10 }, rg), new RegExp(`showing 10 of ${errors} matches in ${errors} files;`));
  });

  it('splits a long file list over several ripgrep processes without losing or reordering a hit', async () => {
    const files = Array.from({ length: 40 }, (_, i) => path.join(root, `logs/svc${i % 9}/part-${String(i).padStart(3, '0')}.log`)).filter((_, i) => i % 23 !== 0);
    const query = { pattern: 'timeout|request 1', literal: false, caseSensitive: false, context: 1 };
    const collect = async (maxPathChars?: number) => {
      const hits: RipgrepHit[] = [];
      for await (const hit of ripgrepFiles(rg!, files, query, new AbortController().signal, maxPathChars)) hits.push(hit);
      return hits;
    };
    const together = await collect();
    const split = await collect(files[0]!.length * 3);
    assert.ok(together.length > 20);
    assert.deepEqual(split, together);
    assert.deepEqual(
      together.map((h) => h.fileIndex),
      [...together.map((h) => h.fileIndex)].sort((a, b) => a - b),
      'file after file, in the order given',
    );
  });

  it('reports a file ripgrep could not read after searching the others, and a refused pattern before searching any', async () => {
    const files = [path.join(root, 'logs/svc1/part-001.log'), path.join(root, 'logs/vanished.log'), path.join(root, 'logs/svc2/part-002.log')];
    const hits: RipgrepHit[] = [];
    const query = { pattern: 'request', literal: true, caseSensitive: false, context: 0 };
    await assert.rejects(
      (async () => {
        for await (const hit of ripgrepFiles(rg!, files, query, new AbortController().signal)) hits.push(hit);
      })(),
      (err: unknown) => err instanceof RipgrepError && err.searched && /vanished\.log/.test(err.message),
    );
    assert.deepEqual([...new Set(hits.map((h) => h.fileIndex))], [0, 2]);
    const refused = ripgrepFiles(rg!, files, { ...query, pattern: '(unclosed', literal: false }, new AbortController().signal);
    await assert.rejects(refused.next(), (err: unknown) => err instanceof RipgrepError && !err.searched);
  });
});

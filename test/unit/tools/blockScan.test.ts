import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { BLOCK_BYTES as BLOCK, scanBlocks, type LineHit } from '../../../src/tools/logs/blockScan';
import { MAX_LINE_BYTES, readLines, type LogLine } from '../../../src/tools/logs/lineReader';
import { MAX_NEEDLES } from '../../../src/tools/logs/byteScan';
import { literalAnchors, regexAnchors, requiredPieces, topLevelBranches } from '../../../src/tools/logs/searchAnchor';
import { buildMatcher, runSearch, type SearchInput } from '../../../src/tools/logs/searchLogs';

/** The specification: every line from readLines, tested one by one, with its neighbours as context. */
const linesOf = new Map<string, Promise<LogLine[]>>();
async function lineByLine(file: string, matches: (text: string) => boolean, context: number): Promise<LineHit[]> {
  if (!linesOf.has(file))
    linesOf.set(
      file,
      (async () => {
        const all: LogLine[] = [];
        for await (const line of readLines(file)) all.push(line);
        return all;
      })(),
    );
  const lines = await linesOf.get(file)!;
  return lines.flatMap((line, i) => (matches(line.text) ? [{ line, before: lines.slice(Math.max(0, i - context), i), after: lines.slice(i + 1, i + 1 + context) }] : []));
}

async function fast(file: string, args: SearchInput, context: number): Promise<LineHit[] | undefined> {
  const anchors = args.regex ? regexAnchors(args.query, args.case_sensitive ?? false) : literalAnchors(args.query, args.case_sensitive ?? false);
  if (!anchors) return undefined;
  const hits = await scanBlocks(file, anchors, buildMatcher(args), context);
  if (!hits) return undefined;
  const out: LineHit[] = [];
  for await (const batch of hits) out.push(...batch);
  return out;
}

/** A log of about `bytes` with needles in many spellings, CRLF, invalid UTF-8, non-ASCII case pairs and cut lines. */
function hostileLog(bytes: number, seed: number): Buffer {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pieces = ['needle', 'NEEDLE', 'NeEdLe', 'nee dle', 'café', 'CAFÉ', 'ошибка', 'ОШИБКА', '\u212Aelvin', 'kelvin', 'ſtop', 'stop', 'vol-42', 'VOL-7x'];
  const parts: Buffer[] = [];
  let size = 0;
  let n = 0;
  while (size < bytes) {
    const r = rand();
    let line: Buffer;
    if (r < 0.01) line = Buffer.concat([Buffer.from('bad '), Buffer.from([0xff, 0xe2, 0x82]), Buffer.from(' needle '), Buffer.from([0xc3])]);
    else {
      const words = Array.from({ length: 1 + Math.floor(rand() * 12) }, () => (rand() < 0.15 ? pieces[Math.floor(rand() * pieces.length)]! : Math.floor(rand() * 1e6).toString(36)));
      line = Buffer.from(`2026-11-20T14:00:${String(n % 60).padStart(2, '0')}Z ${rand() < 0.2 ? 'ERROR' : 'INFO'} ${words.join(' ')}`);
    }
    const end = rand() < 0.3 ? '\r\n' : '\n';
    parts.push(line, Buffer.from(end));
    size += line.length + end.length;
    n++;
  }
  return Buffer.concat(parts);
}

const QUERIES: SearchInput[] = [
  { query: 'needle' },
  { query: 'needle', case_sensitive: true },
  { query: 'NEEDLE', case_sensitive: true },
  { query: 'café' },
  { query: 'CAFÉ', case_sensitive: true },
  { query: 'kelvin' },
  { query: 'stop' },
  // Raw bytes hold "dle\r" before every CRLF; the lines, with CR stripped, never do.
  { query: 'dle\r' },
  { query: 'need(le)?\\s', regex: true },
  { query: 'kelvin', regex: true },
  { query: 'ſtop', regex: true },
  { query: 'vol-\\d+x?', regex: true },
  { query: 'VOL-\\d+x', regex: true, case_sensitive: true },
  // Alternations: one anchor per branch, searched together.
  { query: 'needle|café', regex: true },
  { query: 'VOL-\\d|ОШИБКА|stop', regex: true, case_sensitive: true },
  { query: 'ne+dle|k?elvin|bad', regex: true },
];

describe('search_logs fast path (raw blocks) against the line-by-line scan', function () {
  this.timeout(120_000);
  let dir: string;
  before(async () => (dir = await mkdtemp(path.join(tmpdir(), 'triage-blockscan-'))));
  after(async () => rm(dir, { recursive: true, force: true }));

  it('finds the same lines with the same numbers and context across block boundaries, CRLF and invalid UTF-8', async () => {
    const file = path.join(dir, 'hostile.log');
    // Three blocks and more, the last line without a newline and ending in CR.
    await writeFile(file, Buffer.concat([hostileLog(3 * BLOCK + 12_345, 7), Buffer.from('tail needle\r')]));
    let compared = 0;
    for (const args of QUERIES) {
      for (const context of [0, 2, 5]) {
        const got = await fast(file, args, context);
        assert.ok(got, `an anchor for ${JSON.stringify(args)}`);
        const want = await lineByLine(file, buildMatcher(args), context);
        assert.equal(want.length > 0, !args.query.includes('\r'), `${JSON.stringify(args)} matches something, unless it ends in CR`);
        assert.deepEqual(got, want, `${JSON.stringify(args)} with ${context} context lines`);
        compared++;
      }
    }
    assert.equal(compared, QUERIES.length * 3);
  });

  it('finds hits on the first and the last line, with or without a final newline, and nothing in empty files', async () => {
    const bodies = ['needle first\nmiddle\nlast needle', 'needle\n', 'needle', '\r\nneedle\r\n\r\n', '', '\n', '\n\nneedle\n\n', 'NEEDLE'.repeat(BLOCK / 6) + '\nneedle'];
    for (const [i, body] of bodies.entries()) {
      const file = path.join(dir, `edges-${i}.log`);
      await writeFile(file, body);
      for (const context of [0, 1, 3]) {
        const want = await lineByLine(file, buildMatcher({ query: 'needle' }), context);
        assert.deepEqual(await fast(file, { query: 'needle' }, context), want, `${JSON.stringify(body.slice(0, 40))} with ${context} context lines`);
      }
    }
  });

  it('finds a hit whose line crosses a block boundary, and needles split by it', async () => {
    const file = path.join(dir, 'boundary.log');
    const filler = Buffer.from(`${'x'.repeat(99)}\n`.repeat(Math.floor(BLOCK / 100)));
    const pad = Buffer.from(`${'y'.repeat(BLOCK - filler.length - 4)}`);
    // "needle" starts 3 bytes before the first block's end, on a line that began in the block.
    await writeFile(file, Buffer.concat([filler, pad, Buffer.from('NEEDLE across\nafter\n'), filler, Buffer.from('last needle\n')]));
    for (const context of [0, 3]) {
      const want = await lineByLine(file, buildMatcher({ query: 'needle' }), context);
      assert.equal(want.length, 2);
      assert.deepEqual(await fast(file, { query: 'needle' }, context), want);
    }
  });

  it('cuts lines past MAX_LINE_BYTES as readLines does: no hit past the cut, the full length reported, also past a whole block', async () => {
    const file = path.join(dir, 'long.log');
    const mid = `head needle ${'m'.repeat(MAX_LINE_BYTES + 10)} needle-only-past-the-cut\r\n`;
    const huge = `${'h'.repeat(BLOCK + 100)} needle-only-past-the-cut\n`;
    const exact = `${'e'.repeat(MAX_LINE_BYTES)}\r\n`; // one byte over the limit with its CR: cut, CR kept
    await writeFile(file, `before\n${mid}x\n${huge}needle after huge\n${exact}needle ${'n'.repeat(BLOCK + 5)}\nend needle`);
    for (const query of ['needle', 'needle-only-past-the-cut', 'hhhh', 'eeee']) {
      for (const context of [0, 1]) {
        const want = await lineByLine(file, buildMatcher({ query }), context);
        assert.deepEqual(await fast(file, { query }, context), want, `${query} with ${context} context lines`);
      }
    }
    const cut = (await lineByLine(file, buildMatcher({ query: 'needle' }), 0)).map((h) => [h.line.number, h.line.fullLength]);
    assert.deepEqual(cut, [
      [2, mid.length - 1],
      [5, undefined],
      [7, BLOCK + 12],
      [8, undefined],
    ]);
  });

  it('leaves gzip to the line-by-line scan, and the tool then answers exactly as for the plain file (levels, context, limit)', async () => {
    const text = hostileLog(BLOCK + 5000, 11);
    await writeFile(path.join(dir, 'same.log'), text);
    await writeFile(path.join(dir, 'same.log.gz'), gzipSync(text));
    assert.equal(await fast(path.join(dir, 'same.log.gz'), { query: 'needle' }, 0), undefined);
    const ctx = { workspaceRoots: [dir], signal: new AbortController().signal, settings: {} };
    for (const args of [
      { query: 'needle', levels: ['error' as const], context_lines: 2, limit: 7 },
      { query: 'café', context_lines: 1 },
      { query: 'ОШИБКА', limit: 3 },
      { query: 'vol-\\d+', regex: true, levels: ['info' as const], limit: 200 },
      { query: 'needle', since: '2026-11-20T14:00:30Z', limit: 5 },
    ]) {
      const plain = (await runSearch({ ...args, files: ['same.log'] }, ctx)).text;
      const gz = (await runSearch({ ...args, files: ['same.log.gz'] }, ctx)).text;
      assert.match(plain, /== same\.log ==/);
      assert.equal(plain.replace('== same.log ==', ''), gz.replace('== same.log.gz ==', ''), JSON.stringify(args));
    }
  });

  it('answers as with WebAssembly, line by line, where the runtime has none (node --jitless)', async () => {
    await writeFile(path.join(dir, 'jitless.log'), hostileLog(200_000, 17));
    const args: SearchInput = { query: 'needle|vol-\\d+', regex: true, context_lines: 1, limit: 20, files: ['jitless.log'] };
    const withWasm = (await runSearch(args, { workspaceRoots: [dir], signal: new AbortController().signal, settings: {} })).text;
    const code = `const { runSearch } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/tools/logs/searchLogs.ts'))});
      console.log(typeof WebAssembly);
      runSearch(${JSON.stringify(args)}, { workspaceRoots: [${JSON.stringify(dir)}], signal: new AbortController().signal, settings: {} }).then((r) => process.stdout.write(r.text));`;
    const out = execFileSync(process.execPath, ['--jitless', '--import', 'tsx', '-e', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    assert.equal(out, `undefined\n${withWasm}`);
    assert.match(withWasm, /showing 20 of [\d,]+ matches/);
  });

  it('shows the first matches exactly as a larger limit does, and counts the rest, on the raw-block and the line-by-line paths', async () => {
    const text = hostileLog(BLOCK + 5000, 13);
    await writeFile(path.join(dir, 'limit.log'), text);
    await writeFile(path.join(dir, 'limit.log.gz'), gzipSync(text));
    const ctx = { workspaceRoots: [dir], signal: new AbortController().signal, settings: {} };
    const body = (out: string) => out.split('\n').slice(0, -1).join('\n');
    const total = (out: string) => /of ([\d,]+) matches|^([\d,]+) match/m.exec(out.split('\n').at(-1)!)!.slice(1).find(Boolean);
    for (const file of ['limit.log', 'limit.log.gz']) {
      for (const args of [{ query: 'needle' }, { query: 'café', context_lines: 2 }, { query: 'vol-\\d+', regex: true }, { query: 'needle', levels: ['error' as const] }]) {
        const all = (await runSearch({ ...args, files: [file], limit: 200 }, ctx)).text;
        for (const limit of [1, 4, 9]) {
          const some = (await runSearch({ ...args, files: [file], limit }, ctx)).text;
          assert.match(body(some), /^\d+: \[2026-11-20T14:00:\d\d\.000Z (info|error)\] /m, `${file} ${JSON.stringify(args)} shows timestamps and levels`);
          assert.ok(all.startsWith(body(some)), `${file} ${JSON.stringify(args)} limit ${limit}`);
          assert.equal(total(some), total(all));
        }
      }
    }
  });
});

describe('search anchors', () => {
  const text = (anchors: { bytes: Uint8Array }[] | undefined) => anchors?.map((a) => Buffer.from(a.bytes).toString('utf8'));

  it('takes the longest literal an RE2 pattern requires, and none when it cannot tell', () => {
    assert.deepEqual(requiredPieces('disk quota exceeded for volume vol-\\d+'), ['disk quota exceeded for volume vol-']);
    assert.deepEqual(requiredPieces('conn(ection)? reset'), ['conn', ' reset']);
    assert.deepEqual(requiredPieces('ab?c*d+e{2}f'), ['a', 'd', 'f']);
    assert.deepEqual(requiredPieces('[]a-z]x\\.y'), ['x.y']);
    assert.equal(requiredPieces('timeout|timed out'), undefined);
    assert.equal(requiredPieces('(?i)abc'), undefined);
    assert.equal(requiredPieces('\\x41bc'), undefined);
  });

  it('keeps case folds out of anchors: non-ASCII when case is ignored, k and s for RE2 (Kelvin sign, long s)', () => {
    assert.deepEqual(text(literalAnchors('café', false)), ['caf']);
    assert.deepEqual(text(literalAnchors('café', true)), ['café']);
    assert.equal(literalAnchors('ошибка', false), undefined);
    assert.deepEqual(text(regexAnchors('disk quota', false)), [' quota']);
    assert.deepEqual(text(regexAnchors('disk quota', true)), ['disk quota']);
    assert.deepEqual(text(literalAnchors('a\uFFFDbc', true)), ['bc']);
  });

  it('gives a top-level alternation one anchor per branch, none when a branch has none, and drops anchors that hold another', () => {
    assert.deepEqual(topLevelBranches('a|(b|c)|[|]d|\\|e'), ['a', '(b|c)', '[|]d', '\\|e']);
    assert.deepEqual(text(regexAnchors('timeout|timed out', true)), ['timeout', 'timed out']);
    assert.deepEqual(text(regexAnchors('connection (refused|reset)|broken pipe', true)), ['connection ', 'broken pipe']);
    // "Timeout" holds "time": lines with it are found by "time" (case ignored).
    assert.deepEqual(text(regexAnchors('Timeout|time|timed', false)), ['time']);
    assert.equal(regexAnchors('error|\\d+', true), undefined);
    assert.equal(regexAnchors('error|', true), undefined);
    assert.equal(regexAnchors(Array.from({ length: MAX_NEEDLES + 1 }, (_, i) => `word${i}x`).join('|'), true), undefined);
  });
});

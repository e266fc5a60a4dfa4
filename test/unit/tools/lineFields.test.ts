import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { assembleWat, WASM_MODULES } from '../../../scripts/assemble-wasm';
import { generateLog } from '../../../bench/generateLog';
import { LineFields } from '../../../src/tools/logs/lineFields';
import { LINE_FIELDS_WASM } from '../../../src/tools/logs/lineFieldsWasm';
import { LineParser } from '../../../src/tools/logs/lineParser';
import { commonMessageStart } from '../../../src/tools/logs/minerHeader';
import { skeletonHash } from '../../../src/tools/logs/minerTokens';
import { formatSummary, summarizeFile } from '../../../src/tools/logs/summarizeLog';
import { TemplateMiner } from '../../../src/tools/logs/templateMiner';
import { LOGHUB_SYSTEMS, hasLoghub, logPath } from '../../fixtures/loghub/groundTruth';

/**
 * Feeds the same lines to two parsers, one reading every line as a string (`parse`, the
 * definition) and one taking the kernel's record wherever it decided the line; after each line
 * both must hold the same timestamp, level and template. Returns how many lines the kernel decided.
 */
function assertSameAsStrings(lines: readonly string[], label: string): number {
  const fields = LineFields.acquire(1 << 20)!;
  const reference = new LineParser(Date.UTC(2026, 10, 22));
  const fast = new LineParser(Date.UTC(2026, 10, 22));
  let decided = 0;
  let at = 0;
  while (at < lines.length) {
    // Lines a block at a time, as the reader gives them (CRLF kept: the kernel must drop the CR).
    const chunk: string[] = [];
    let bytes = 0;
    for (; at < lines.length && bytes < 900_000; at++) {
      chunk.push(lines[at]!);
      bytes += lines[at]!.length + 1;
    }
    const block = Buffer.from(chunk.join('\n') + '\n', 'latin1');
    block.copy(fields.block);
    let line = at - chunk.length;
    for (let from = 0; from < block.length;) {
      const n = fields.scan(from, block.length);
      for (let k = 0; k < n; k++, line++) {
        const text = lines[line]!.endsWith('\r') ? lines[line]!.slice(0, -1) : lines[line]!;
        assert.equal(fields.text(k), text, `${label} line ${line + 1}: the kernel's line`);
        reference.parse(text);
        const where = `${label} line ${line + 1}: ${JSON.stringify(text.slice(0, 120))}`;
        if (fast.parseFields(fields, k)) {
          decided++;
          // The kernel's message start and hash are the string functions', not only results that come out alike.
          const start = commonMessageStart(text, reference.timestamp, fields.levelEnd(k));
          assert.equal(fields.messageStart(k), start, `${where}: message start`);
          assert.equal(fields.skeleton(k), skeletonHash(text, start), `${where}: skeleton hash`);
        } else fast.parse(fields.text(k));
        assert.deepEqual(fast.timestamp, reference.timestamp, `${where}: timestamp`);
        assert.equal(fast.level, reference.level, `${where}: level`);
        assert.equal(fast.template?.id, reference.template?.id, `${where}: template`);
      }
      from = fields.next(n - 1);
    }
  }
  fields.release();
  assert.deepEqual(
    fast.miner.templates.map((t) => [t.tokens.join(' '), t.count]),
    reference.miner.templates.map((t) => [t.tokens.join(' '), t.count]),
    label,
  );
  return decided;
}

/** Lines built from parts an attacker or an odd logger would write: every header shape the kernel reads, and each way out of it. */
function hostileLines(): string[] {
  const times = [
    '2026-11-20T14:05:01.123Z',
    '2026-11-20T14:05:01Z',
    '2026-11-20 14:05:01,123',
    '2026-11-20T14:05:01.123456789Z',
    '2026-11-20T14:05:01.1234567891Z',
    '2026-11-20T14:05:01.1Z',
    '2026-11-20T14:05:01.12',
    '2026-11-20T14:05:01+01:00',
    '2026-11-20T14:05:01.5-0530',
    '2026-11-20 14:05:01 +0100',
    '2026-11-20T14:05:01 Z',
    '2026-11-20T14:05:01Z1',
    '2026-11-20T14:05:01+01:0',
    '2026-11-20T14:05:01+01:001',
    '2026-11-20T23:59:60Z',
    '2026-11-20T24:00:00Z',
    '2026-13-20T14:05:01Z',
    '2026-11-00T14:05:01Z',
    '2026-11-32T14:05:01Z',
    '2026-11-20T14:60:01Z',
    '2026-11-20X14:05:01Z',
    '[2026-11-20 14:05:01]',
    'x'.repeat(70) + ' 2026-11-20T14:05:01Z',
    '2026-11-20T4:05:01Z',
    '20261120T140501Z',
    '',
  ];
  const levels = ['INFO', 'ERROR', 'error', '[WARN]', 'Warning:', 'WARN:', 'HELLO', 'information', 'informational', 'E', '', 'INFO\t', 'INFO]'];
  const headers = [
    '',
    ' ',
    '[payments] ',
    '[a [b] c] ',
    `[${'x'.repeat(299)}] `,
    `[${'x'.repeat(300)}] `,
    `[${'x'.repeat(301)}] `,
    '[pool-1]',
    '  ',
    'com.acme.Billing: ',
    'Worker  ',
    '| thread-1 | ',
    ' - ',
  ];
  const messages = [
    'user u-42 logged in from 10.0.0.1',
    'charge failed after 1500ms',
    'Charge failed after 1500ms',
    'failed',
    'user Aa logged',
    'user BB logged',
    'user AaAaAaAaAaAaAaBBBBBBAaAaAaAaAaAa logged',
    'user BBBBAaAaBBBBBBBBAaAaBBAaAaAaAaAa logged',
    'SOCKS5 proxy at host.example:1080',
    'SOCKS4 proxy at host.example:1080',
    'HTTP2 stream 7 reset',
    'key=value key2= key3=3',
    'done.',
    'done  twice',
    'done x',
    'ok',
    'LOGIN(uid=0) by root',
    'path /var/log/app1.log rotated',
    'rc=ABC1234 state=XY12',
    '{"msg": "json inside"}',
  ];
  const out: string[] = [];
  for (const time of times)
    for (const level of levels)
      for (const header of headers)
        for (const message of messages) {
          out.push(`${time}${time ? ' ' : ''}${level}${level ? ' ' : ''}${header}${message}`);
        }
  out.push('{"time": "2026-11-20T14:05:01Z", "level": "info", "msg": "json line"}', '2026-11-20T14:05:01Z INFO ok\r', '\r', '2026-11-20T14:05:01Z', '2026-11-20T14:05:01Z ERROR');
  // Shuffled (the same way every run): state carried from one line to the next (a zone, a day, the format) meets every other shape.
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('the lineFields kernel (summarize_log on bytes)', () => {
  it('is embedded as its source assembles', async () => {
    const lineFields = WASM_MODULES.find((m) => m.name === 'LINE_FIELDS_WASM')!;
    assert.equal(Buffer.from(await assembleWat(lineFields.source)).toString('base64'), LINE_FIELDS_WASM);
  });

  it('reads every hostile header exactly as the string functions do', () => {
    const lines = hostileLines();
    const decided = assertSameAsStrings(lines, 'hostile');
    // The kernel must take a good share (the plain ISO headers), or the test proves little.
    assert.ok(decided > lines.length / 20, `decided ${decided} of ${lines.length}`);
  });

  it('reads every Loghub line exactly as the string functions do', function () {
    if (!hasLoghub()) this.skip();
    for (const system of LOGHUB_SYSTEMS) {
      // The reader sends the kernel ASCII stretches only; the few other lines are read as strings in any case.
      const lines = readFileSync(logPath(system), 'latin1')
        .split('\n')
        .filter((line) => Buffer.from(line, 'latin1').every((byte) => byte < 0x80));
      if (lines.at(-1) === '') lines.pop();
      assert.ok(lines.length > 1900, system);
      assertSameAsStrings(lines, system);
    }
  });

  it('decides nearly every line of a generated service log, exactly as the string functions', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'line-fields-'));
    try {
      const file = path.join(dir, 'service.log');
      await generateLog(file, 8 * 2 ** 20);
      const lines = readFileSync(file, 'latin1').split('\n');
      lines.pop();
      const decided = assertSameAsStrings(lines, 'generated');
      assert.ok(decided >= lines.length - 1, `decided ${decided} of ${lines.length}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('summarizes a file as without the kernel: ASCII blocks, non-ASCII blocks, CRLF, a line across blocks, an unterminated last line (and under node --jitless)', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'line-fields-'));
    try {
      const file = path.join(dir, 'mixed.log');
      const lines: string[] = [];
      for (let i = 0; i < 60_000; i++) {
        const time = new Date(Date.UTC(2026, 10, 20) + i * 250).toISOString();
        lines.push(i % 9_000 === 77 ? `${time} WARN [café] naïve user ü-${i} logged in` : `${time} ${i % 7 ? 'INFO' : 'ERROR'} [svc-${i % 4}] request ${i} took ${i % 500}ms${i % 11 ? '' : '\r'}`);
      }
      writeFileSync(file, lines.join('\n') + `\n${'y'.repeat(3000)}\n2026-11-20T23:00:00Z ERROR [tail] no newline`);
      const withKernel = formatSummary('mixed.log', await summarizeFile(file));
      const code = `const { summarizeFile, formatSummary } = require(${JSON.stringify(path.resolve(__dirname, '../../../src/tools/logs/summarizeLog.ts'))});
        summarizeFile(${JSON.stringify(file)}).then((s) => process.stdout.write(typeof WebAssembly + '\\n' + formatSummary('mixed.log', s)));`;
      const jitless = execFileSync(process.execPath, ['--jitless', '--import', 'tsx', '-e', code], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      assert.equal(jitless, `undefined\n${withKernel}`);
      assert.match(withKernel, /60,002 lines/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps two capitalised words at one place apart, which one hash lane alone confused ("Aa" and "BB")', () => {
    const miner = new TemplateMiner();
    const a = miner.addMessage('user Aa logged in from the console');
    const b = miner.addMessage('user BB logged in from the console');
    assert.notEqual(a!.id, b!.id);
    assert.deepEqual(
      miner.templates.map((t) => t.tokens.join(' ')),
      ['user Aa logged in from the console', 'user BB logged in from the console'],
    );
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { LineSplitter, MAX_LINE_BYTES, readLines, type LogLine } from '../../../src/tools/logs/lineReader';

/**
 * The reader's contract stated the slow, obvious way: split the whole file at each newline, drop
 * the empty piece after a final newline, cut a piece past MAX_LINE_BYTES (keeping its full length,
 * CR and all), else strip one CR; decode as UTF-8 with U+FFFD for invalid bytes.
 */
function expectedLines(bytes: Buffer): LogLine[] {
  const lines: LogLine[] = [];
  let start = 0;
  while (start < bytes.length) {
    const nl = bytes.indexOf(0x0a, start);
    const stop = nl === -1 ? bytes.length : nl;
    const number = lines.length + 1;
    if (stop - start > MAX_LINE_BYTES) lines.push({ number, text: bytes.toString('utf8', start, start + MAX_LINE_BYTES), fullLength: stop - start });
    else lines.push({ number, text: bytes.toString('utf8', start, stop > start && bytes[stop - 1] === 0x0d ? stop - 1 : stop) });
    start = stop + 1;
  }
  return lines;
}

/** What the splitter makes of the bytes fed in blocks of the given sizes (the last size repeats). */
function split(bytes: Buffer, sizes: number[]): LogLine[] {
  const splitter = new LineSplitter();
  const lines: LogLine[] = [];
  const take = (batch: { texts: string[]; cut?: Map<number, number> } | undefined) => {
    batch?.texts.forEach((text, i) => {
      const line: LogLine = { number: lines.length + 1, text };
      const full = batch.cut?.get(i);
      if (full !== undefined) line.fullLength = full;
      lines.push(line);
    });
  };
  for (let at = 0, k = 0; at < bytes.length; k++) {
    const size = sizes[Math.min(k, sizes.length - 1)]!;
    // Each block in a buffer of its own that is scribbled over afterwards, as the reused read buffer is.
    const block = Buffer.from(bytes.subarray(at, at + size));
    take(splitter.push(block));
    block.fill(0x58);
    at += size;
  }
  take(splitter.end());
  return lines;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
/** Lines that try the edges: CRLF and a lone CR, empty lines, multi-byte and invalid UTF-8, latin1 bytes, controls. */
const TRICKY = Buffer.concat([
  utf8('2026-11-20T14:00:00Z INFO plain ascii\r\n\n\r\n\r'),
  utf8('\nnaïve café — 東京 🚀 emoji\n'),
  Buffer.from([0x62, 0xe9, 0x0a, 0xc3, 0x0a, 0xe2, 0x82, 0x0d, 0x0a, 0xf0, 0x9f, 0x9a, 0x0a, 0xff, 0xfe, 0x41, 0x0a]),
  utf8('tab\there\u0001\u001b[31mred\n  leading spaces\n'),
]);

describe('line reader', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'triage-lines-'))));
  after(async () => rm(dir, { recursive: true, force: true }));

  it('splits any blocking of tricky bytes exactly as the whole file splits (CRLF, empty lines, UTF-8 split across blocks, invalid bytes)', () => {
    const expected = expectedLines(TRICKY);
    assert.ok(expected.length > 10);
    for (let size = 1; size <= TRICKY.length + 1; size++) assert.deepEqual(split(TRICKY, [size]), expected, `blocks of ${size} bytes`);
    for (const tail of ['', 'no final newline', 'ends in CR\r', '\r']) {
      const bytes = Buffer.concat([TRICKY, utf8(tail)]);
      for (const size of [1, 3, 7, 64]) assert.deepEqual(split(bytes, [size]), expectedLines(bytes), `${JSON.stringify(tail)} in blocks of ${size}`);
    }
  });

  it('cuts a line past MAX_LINE_BYTES with its full length, whether it spans blocks or sits inside one, and goes on after it', () => {
    const long = (n: number, end: string) => Buffer.concat([utf8('x'.repeat(n - 2)), utf8('é'), utf8(end)]); // a 2-byte character straddles the cut for n = MAX
    const bytes = Buffer.concat([
      utf8('before\n'),
      long(MAX_LINE_BYTES, '\r\n'),
      long(MAX_LINE_BYTES - 1, '\r\n'),
      long(MAX_LINE_BYTES + 5, 'tail\r\n'),
      utf8('after\n'),
      long(3 * MAX_LINE_BYTES, ''),
    ]);
    const expected = expectedLines(bytes);
    assert.deepEqual(
      expected.map((l) => l.fullLength),
      [undefined, MAX_LINE_BYTES + 1, undefined, MAX_LINE_BYTES + 10, undefined, 3 * MAX_LINE_BYTES],
    );
    assert.deepEqual(split(bytes, [4 * MAX_LINE_BYTES]), expected, 'every line inside one block');
    assert.deepEqual(split(bytes, [MAX_LINE_BYTES / 2]), expected, 'long lines across blocks');
    assert.deepEqual(split(bytes, [5, 4096, 333_333]), expected, 'uneven blocks');
  });

  it('reads a plain file larger than one read, and its gzip, line for line as the contract says', async () => {
    // Lines of many lengths, so that read boundaries fall everywhere: inside ASCII, inside a multi-byte character, on a CR.
    const parts: Buffer[] = [];
    for (let i = 0; i < 60_000; i++)
      parts.push(i % 997 === 0 ? TRICKY : utf8(`2026-11-20T14:00:${String(i % 60).padStart(2, '0')}Z INFO line ${i} ${'é'.repeat(i % 7)}${'y'.repeat(i % 53)}${i % 5 ? '\n' : '\r\n'}`));
    const bytes = Buffer.concat(parts);
    assert.ok(bytes.length > 3 * 1024 * 1024);
    const expected = expectedLines(bytes);
    await writeFile(path.join(dir, 'big.log'), bytes);
    await writeFile(path.join(dir, 'big.log.gz'), gzipSync(bytes));
    for (const name of ['big.log', 'big.log.gz']) {
      const got: LogLine[] = [];
      for await (const line of readLines(path.join(dir, name))) got.push(line);
      assert.equal(got.length, expected.length, name);
      assert.deepEqual(got, expected, name);
    }
  });
});

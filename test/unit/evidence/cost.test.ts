import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, realpath, rm, stat, type FileHandle } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { check, logLine, reportWith } from './fixture';

const LINES = 600_000;
const text = (n: number) => `2026-11-20T14:00:00.000Z INFO [checkout-api] request served req=r-${n} status=200 took=${n % 997}ms`;

/**
 * What a check costs in reads, counted where every read of a FileHandle goes (its prototype's
 * `read`), apart from the check's own meter: the two must agree, and neither may approach the
 * file's size when the cited lines are where they say.
 */
describe('evidence cost: a correctly cited line deep in a big file is reached without reading the file', () => {
  let root: string;
  let size = 0;
  let read: { bytes: number };
  let restore: () => void;

  before(async () => {
    root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'triage-evidence-cost-')));
    const out = createWriteStream(path.join(root, 'big.log'));
    for (let n = 1; n <= LINES; n += 10_000) {
      const block = Array.from({ length: 10_000 }, (_, i) => text(n + i)).join('\n') + '\n';
      if (!out.write(block)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    size = (await stat(path.join(root, 'big.log'))).size;

    const probe = await open(path.join(root, 'big.log'));
    const proto = Object.getPrototypeOf(probe) as { read: FileHandle['read'] };
    await probe.close();
    const original = proto.read;
    read = { bytes: 0 };
    const counter = read;
    const counting = async function (this: FileHandle, ...args: unknown[]) {
      const result = await (original as (...a: unknown[]) => ReturnType<FileHandle['read']>).apply(this, args);
      counter.bytes += result.bytesRead;
      return result;
    };
    proto.read = counting;
    restore = () => (proto.read = original);
  });
  after(async () => {
    restore();
    await rm(root, { recursive: true, force: true });
  });
  beforeEach(() => (read.bytes = 0));

  it(`a line at 10% depth of a ${LINES.toLocaleString('en-US')}-line file: about a tenth of it read`, async () => {
    const line = LINES / 10;
    const result = await check(root, reportWith([logLine('big.log', line, text(line))]));
    assert.deepEqual(result.report.evidence[0]!.verification, { status: 'verified' });
    assert.ok(size > 50 * 2 ** 20, `precondition: a file of ${size} bytes`);
    assert.ok(read.bytes < size / 5, `read ${read.bytes} of ${size} bytes`);
    // The meter counts what the check read; only the two bytes that tell gzip from text are read outside it.
    assert.equal(read.bytes, result.bytesRead + 2);
  });

  it('several items in the same file: one pass to the deepest, not one per item', async () => {
    const lines = [LINES / 20, LINES / 10, LINES / 10 + 5_000];
    const result = await check(root, reportWith(lines.map((n) => logLine('big.log', n, text(n)))));
    assert.deepEqual(
      result.report.evidence.map((e) => e.verification.status),
      ['verified', 'verified', 'verified'],
    );
    assert.ok(read.bytes < size / 5, `read ${read.bytes} of ${size} bytes`);
  });

  it('a line off by three is found in the window around it, also without reading the file', async () => {
    const line = LINES / 10;
    const result = await check(root, reportWith([logLine('big.log', line + 3, text(line))]));
    assert.deepEqual(result.report.evidence[0]!.verification, { status: 'moved', line });
    assert.ok(read.bytes < size / 5, `read ${read.bytes} of ${size} bytes`);
  });

  it('an excerpt across the boundary of two reads, cited far from where it is, is found by the search', async () => {
    // The line holding the first mebibyte's last byte: the search reads 1 MiB at a time, so the line before it ends the first block.
    let bytes = 0;
    let k = 0;
    while (bytes < 2 ** 20) bytes += text(++k).length + 1;
    const result = await check(root, reportWith([logLine('big.log', LINES / 2, `${text(k - 1)}\n${text(k)}`)]));
    assert.deepEqual(result.report.evidence[0]!.verification, { status: 'moved', line: k - 1 });
  });

  it('an excerpt that is nowhere is looked for in the whole file (the cost the happy path avoids)', async () => {
    const result = await check(root, reportWith([logLine('big.log', LINES / 10, 'request served req=r-nowhere status=200')]));
    assert.equal(result.report.evidence[0]!.verification.status, 'unverified');
    assert.ok(read.bytes >= size, `read ${read.bytes} of ${size} bytes`);
  });

  it('a search stops at its bound, and the reason says how much was searched', async () => {
    const result = await check(root, reportWith([logLine('big.log', 10, 'request served req=r-nowhere status=200')]), [], { limits: { searchBytes: 8 * 2 ** 20 } });
    assert.deepEqual(result.report.evidence[0]!.verification, { status: 'unverified', reason: 'excerpt not in "big.log" within the 8 MiB searched (the rest was not read)' });
    assert.ok(read.bytes < size / 4, `read ${read.bytes} of ${size} bytes`);
  });

  it('stops when the run is cancelled, with the cancellation as the error', async () => {
    const controller = new AbortController();
    const reason = new Error('cancelled by the user');
    controller.abort(reason);
    await assert.rejects(check(root, reportWith([logLine('big.log', LINES / 2, text(LINES / 2))]), [], { signal: controller.signal }), (err) => err === reason);
    assert.ok(read.bytes <= 2, `read ${read.bytes} bytes`);
  });

  it("so does the whole check at the report's bound", async () => {
    const deep = LINES / 2;
    const result = await check(root, reportWith([logLine('big.log', deep, text(deep))]), [], { limits: { readBytes: 4 * 2 ** 20 } });
    assert.deepEqual(result.report.evidence[0]!.verification, {
      status: 'unverified',
      reason: '"big.log" was not read to the end: the evidence check stopped at its limit of 4 MiB read for one report',
    });
    assert.ok(read.bytes <= 6 * 2 ** 20, `read ${read.bytes} bytes`);
  });
});

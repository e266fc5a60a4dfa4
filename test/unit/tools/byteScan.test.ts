import assert from 'node:assert/strict';
import { assembleWat, WASM_MODULES } from '../../../scripts/assemble-wasm';
import { ByteScanner, MAX_NEEDLE_BYTES, type Needle } from '../../../src/tools/logs/byteScan';
import { BYTE_SCAN_WASM } from '../../../src/tools/logs/byteScanWasm';

const CAPACITY = 64 * 1024;

/** A byte-by-byte reference: the first position at or after `from` where a needle lies whole before `end`. */
function reference(data: Uint8Array, end: number, needles: readonly Needle[], from: number): number {
  const fold = (b: number, ignoreCase: boolean) => (ignoreCase && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a)) ? b | 0x20 : b);
  for (let at = from; at < end; at++) {
    for (const { bytes, ignoreCase } of needles) {
      const n = bytes.subarray(0, MAX_NEEDLE_BYTES);
      if (at + n.length <= end && n.every((b, j) => fold(b, ignoreCase) === fold(data[at + j]!, ignoreCase))) return at;
    }
  }
  return -1;
}

function randomBytes(length: number, seed: number, alphabet: string): Buffer {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  return Buffer.from(Array.from({ length }, () => alphabet.charCodeAt(Math.floor(rand() * alphabet.length))));
}

/** Every position the finder stops at, walking as blockScan does (on from the position after each). */
function walk(scanner: ByteScanner, end: number): number[] {
  const find = scanner.finder(end);
  const found: number[] = [];
  for (let at = find(0); at >= 0; at = find(at + 1)) found.push(at);
  return found;
}

function walkReference(data: Uint8Array, end: number, needles: readonly Needle[]): number[] {
  const found: number[] = [];
  for (let at = reference(data, end, needles, 0); at >= 0; at = reference(data, end, needles, at + 1)) found.push(at);
  return found;
}

const needle = (text: string, ignoreCase: boolean): Needle => ({ bytes: Buffer.from(text, 'latin1'), ignoreCase });

describe('byteScan: the WebAssembly kernels of the raw-block search', () => {
  it('embeds exactly what its WebAssembly text assembles to (npm run build:wasm)', async () => {
    const [{ source }] = WASM_MODULES;
    assert.equal(Buffer.from(await assembleWat(source)).toString('base64'), BYTE_SCAN_WASM);
  });

  it('counts newlines in any range, and never the bytes past its end', () => {
    const scanner = ByteScanner.acquire(CAPACITY, [needle('x', false)]);
    try {
      const data = randomBytes(CAPACITY, 3, 'ab\n\n\ncdefgh');
      data.copy(scanner.block);
      const ranges: [number, number][] = [
        [0, CAPACITY],
        [0, 0],
        [5, 5],
        [0, 1],
        [1, 64],
        [3, 67],
        [0, 127],
        [17, CAPACITY - 1],
        [CAPACITY - 63, CAPACITY],
        [40_000, 30_000],
      ];
      for (const [from, to] of ranges) {
        let want = 0;
        for (let i = from; i < to; i++) if (data[i] === 0x0a) want++;
        assert.equal(scanner.count(from, to), want, `${from}..${to}`);
      }
    } finally {
      scanner.release();
    }
  });

  it('finds needles exactly where a byte-by-byte search does: either case of letters only, at the block ends, none across the end', () => {
    const cases: [string, Needle[]][] = [
      ['one byte', [needle('q', false)]],
      ['case ignored', [needle('NeEd', true)]],
      ['exact case', [needle('NeEd', false)]],
      // 0x20 apart but not letters: "@" is not "`", "[" is not "{".
      ['punctuation with case ignored', [needle('@[x', true)]],
      ['a repeated byte', [needle('eeee', true)]],
      ['high bytes', [needle('\xc3\xa9e', false)]],
      ['several needles', [needle('need', true), needle('D@', false), needle('q', true)]],
      ['a needle longer than kept', [needle(`ne${'e'.repeat(MAX_NEEDLE_BYTES)}`, true)]],
    ];
    const data = randomBytes(CAPACITY, 5, 'neEDdNq@`[{x\n\xc3\xa9 e');
    // Needles at the very start and ending on the last byte of the block.
    Buffer.from('NEED').copy(data, 0);
    Buffer.from('need').copy(data, CAPACITY - 4);
    Buffer.from(`ne${'e'.repeat(MAX_NEEDLE_BYTES + 9)}`).copy(data, 30_000);
    Buffer.from('NeEd').copy(data, 12_345);
    for (const [label, needles] of cases) {
      const scanner = ByteScanner.acquire(CAPACITY, needles);
      try {
        data.copy(scanner.block);
        for (const end of [CAPACITY, CAPACITY - 1, 1000, 63, 3, 0]) {
          const want = walkReference(data, end, needles);
          assert.deepEqual(walk(scanner, end), want, `${label}, block of ${end}`);
          // The filter's bytes change only the speed: any sample gives the same positions.
          scanner.tune(data.subarray(0, 999));
          assert.deepEqual(walk(scanner, end), want, `${label}, block of ${end}, tuned`);
          scanner.tune(Buffer.from('zzzz'));
        }
        assert.ok(walk(scanner, CAPACITY).length > 0, `${label} finds something`);
      } finally {
        scanner.release();
      }
    }
  });

  it('is given back and reused, with the new needles only', () => {
    const first = ByteScanner.acquire(CAPACITY, [needle('abc', false)]);
    first.release();
    const second = ByteScanner.acquire(CAPACITY, [needle('xyz', false)]);
    try {
      assert.equal(second, first);
      Buffer.from('abc xyz\n').copy(second.block);
      assert.deepEqual(walk(second, 8), [4]);
    } finally {
      second.release();
    }
    assert.throws(() => ByteScanner.acquire(CAPACITY, []), RangeError);
  });
});

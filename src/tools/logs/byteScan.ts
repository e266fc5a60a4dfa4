import { BYTE_SCAN_WASM } from './byteScanWasm';
import { compileKernels } from './wasm';

/** Bytes to find in raw file data; with `ignoreCase`, ASCII letters match in either case (other bytes exactly). */
export interface Needle {
  bytes: Uint8Array;
  ignoreCase: boolean;
}

/** Needles one scanner looks for at once, and the bytes kept of each (a needle's prefix is still required where the needle is). */
export const MAX_NEEDLES = 8;
export const MAX_NEEDLE_BYTES = 255;
/** Each needle takes its bytes and one mask per byte (byteScan.wat). */
const NEEDLE_SLOT = 2 * MAX_NEEDLE_BYTES;
/** The file data start past the needles, and the kernels may read this far past its end. */
const DATA = 4096;
const SLACK = 64;
/** Enough of a file's start to tell its rare bytes. */
const SAMPLE_BYTES = 64 * 1024;

interface Kernels {
  count(from: number, end: number): number;
  find(from: number, end: number, needle: number, length: number, rare1: number, rare2: number): number;
}

/** The compiled kernels; null where this runtime has no WebAssembly (node --jitless) or refuses them. */
const kernelsModule = () => compileKernels(BYTE_SCAN_WASM);

/** Whether scanners can be had here; where not, the caller searches line by line. */
export function byteScanAvailable(): boolean {
  return kernelsModule() !== null;
}

/** Scanners not in use: a WebAssembly memory reserves far more address space than it holds, so they are reused, not made per file. */
const idle: ByteScanner[] = [];
const MAX_IDLE = 2;

interface Slot {
  at: number;
  length: number;
  rare1: number;
  rare2: number;
}

/**
 * Finds needles and counts newlines in blocks of raw file data with WebAssembly SIMD kernels
 * (byteScan.wat): the file is read straight into `block`, which lives in the kernels' memory,
 * and is never decoded or copied for the search. Take one with `acquire`, give it back with `release`.
 */
export class ByteScanner {
  /** Where the caller reads file data to; positions below are offsets in it. */
  readonly block: Buffer;
  private readonly kernels: Kernels;
  private readonly memory: Buffer;
  private slots: Slot[] = [];
  private needles: readonly Needle[] = [];

  private constructor(readonly capacity: number) {
    const wasm = kernelsModule();
    if (!wasm) throw new Error('WebAssembly is not available: check byteScanAvailable() first');
    const memory = new wasm.api.Memory({ initial: Math.ceil((DATA + capacity + SLACK) / 65_536) });
    this.kernels = new wasm.api.Instance(wasm.module, { env: { memory } }).exports as Kernels;
    this.memory = Buffer.from(memory.buffer);
    this.block = this.memory.subarray(DATA, DATA + capacity);
  }

  /** A scanner with a block of `capacity` bytes, looking for `needles` (at most MAX_NEEDLES). */
  static acquire(capacity: number, needles: readonly Needle[]): ByteScanner {
    if (needles.length === 0 || needles.length > MAX_NEEDLES) throw new RangeError(`a scanner looks for 1 to ${MAX_NEEDLES} needles, not ${needles.length}`);
    // The most recently given back: its memory is the likeliest to be warm in the CPU's caches.
    const at = idle.findLastIndex((s) => s.capacity === capacity);
    const scanner = at >= 0 ? idle.splice(at, 1)[0]! : new ByteScanner(capacity);
    scanner.setNeedles(needles);
    return scanner;
  }

  release(): void {
    if (idle.includes(this)) return;
    // Full: the oldest goes, so the scanner just given back is the one the next search reuses.
    if (idle.length >= MAX_IDLE) idle.shift();
    idle.push(this);
  }

  private setNeedles(needles: readonly Needle[]): void {
    this.needles = needles;
    this.slots = needles.map((needle, i) => {
      const bytes = needle.bytes.subarray(0, MAX_NEEDLE_BYTES);
      if (bytes.length === 0) throw new RangeError('an empty needle');
      const at = i * NEEDLE_SLOT;
      bytes.forEach((b, j) => {
        const letter = needle.ignoreCase && isAsciiLetter(b);
        this.memory[at + j] = letter ? b | 0x20 : b;
        this.memory[at + bytes.length + j] = letter ? 0x20 : 0;
      });
      return { at, length: bytes.length, rare1: 0, rare2: bytes.length - 1 };
    });
  }

  /**
   * Chooses, for each needle, the two bytes the kernel filters on: the rarest in `sample` (the
   * start of the file), so that few positions need the full comparison. Only speed depends on it.
   */
  tune(sample: Uint8Array): void {
    const freq = new Uint32Array(256);
    for (let i = 0; i < Math.min(sample.length, SAMPLE_BYTES); i++) freq[sample[i]!]!++;
    this.slots.forEach((slot, n) => {
      const { bytes, ignoreCase } = this.needles[n]!;
      const score = (j: number) => {
        const b = bytes[j]!;
        return freq[b]! + (ignoreCase && isAsciiLetter(b) ? freq[b ^ 0x20]! : 0);
      };
      const folded = (j: number) => this.memory[slot.at + j];
      let rare1 = 0;
      for (let j = 1; j < slot.length; j++) if (score(j) < score(rare1)) rare1 = j;
      // The second byte: the rarest other value, else (a needle of one repeated byte) the farthest position.
      let rare2 = -1;
      for (let j = 0; j < slot.length; j++) if (folded(j) !== folded(rare1) && (rare2 < 0 || score(j) < score(rare2))) rare2 = j;
      if (rare2 < 0) rare2 = rare1 === 0 ? slot.length - 1 : 0;
      slot.rare1 = rare1;
      slot.rare2 = rare2;
    });
  }

  /** Newlines in block[from, to). */
  count(from: number, to: number): number {
    return from >= to ? 0 : this.kernels.count(DATA + from, DATA + to);
  }

  /**
   * A search of block[0, end) for any needle: each call gives the first position at or after
   * `from` where a whole needle lies before `end`, or -1. Calls must not go back (`from` never
   * decreases), which lets each needle's next position be reused until it is passed.
   */
  finder(end: number): (from: number) => number {
    const { kernels, slots } = this;
    const at = (slot: Slot, from: number) => {
      const found = kernels.find(DATA + from, DATA + end, slot.at, slot.length, slot.rare1, slot.rare2);
      return found < 0 ? -1 : found - DATA;
    };
    if (slots.length === 1) return (from) => at(slots[0]!, from);
    const next = slots.map(() => -2); // -2: not searched yet; -1: none left in this block
    return (from) => {
      let first = -1;
      slots.forEach((slot, i) => {
        if (next[i] !== -1 && next[i]! < from) next[i] = at(slot, from);
        if (next[i]! >= 0 && (first < 0 || next[i]! < first)) first = next[i]!;
      });
      return first;
    };
  }
}

const isAsciiLetter = (b: number) => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

import { LINE_FIELDS_WASM } from './lineFieldsWasm';
import { skeletonKey } from './minerTokens';
import { compileKernels } from './wasm';

/** Delimiters of the skeleton hash, as minerTokens.ts DELIMITERS: the kernel looks them up in a table at address 0. */
const DELIMITER_BYTES = ' \t\n\r\f\v=:,()[]';
/** Byte classes of the skeleton hash (lineFields.wat $skeleton) and the stretch states they move between. */
const CLASSES = 256;
const STATES = 512;
const [OTHER, DELIMITER, DIGIT, CAPITAL] = [0, 1, 2, 3];
/**
 * Next state by state and class (the delimiter column is never read): minerTokens.ts's `kind`,
 * `capitals` and `digits` as one number. 0-2: no digit yet, after 0, 1, 2+ capitals; 3: no digit
 * yet and not a name; 4-7: a numbered name (2+ capitals) with 1, 2, 3, 4+ digits; 8: a value.
 */
const TRANSITIONS: readonly (readonly number[])[] = [
  // other, delimiter, digit, capital
  [3, 0, 8, 1],
  [3, 0, 8, 2],
  [3, 0, 4, 2],
  [3, 0, 8, 3],
  [8, 0, 5, 8],
  [8, 0, 6, 8],
  [8, 0, 7, 8],
  [8, 0, 7, 8],
  [8, 0, 8, 8],
];
const RECORDS = 1024;
const RECORD_BYTES = 64;
/** Records one call writes at most: a block of short lines takes several calls. */
const MAX_RECORDS = 4096;
const DATA = RECORDS + MAX_RECORDS * RECORD_BYTES;

/** Kernels not in use. */
const idle: LineFields[] = [];
const MAX_IDLE = 2;

interface Kernel {
  lines(from: number, end: number, records: number, max: number): number;
}

/**
 * The lineFields kernel (lineFields.wat) with its memory: a block of ASCII lines read into
 * `block` is split into lines, and each gets what summarize_log reads from it — ISO timestamp,
 * level word, message start, skeleton hash — without a string per line. A line the kernel does
 * not decide (`decided(k)` false) is read as a string by the caller. Records are valid until the
 * next `scan`.
 */
export class LineFields {
  /** Where the caller puts the lines; offsets below are offsets in it. */
  readonly block: Buffer;
  private readonly kernel: Kernel;
  private readonly memory: Buffer;
  private readonly i32: Int32Array;
  private readonly f64: Float64Array;

  private constructor(capacity: number) {
    const wasm = compileKernels(LINE_FIELDS_WASM)!;
    // 16 bytes past the block: the kernel reads 16 at a time when it looks for a newline.
    const memory = new wasm.api.Memory({ initial: Math.ceil((DATA + capacity + 16) / 65_536) });
    this.kernel = new wasm.api.Instance(wasm.module, { env: { memory } }).exports as Kernel;
    this.memory = Buffer.from(memory.buffer);
    for (const c of DELIMITER_BYTES) this.memory[c.charCodeAt(0)] = 1;
    for (let c = 0; c < 256; c++) this.memory[CLASSES + c] = this.memory[c] ? DELIMITER : c >= 48 && c <= 57 ? DIGIT : c >= 65 && c <= 90 ? CAPITAL : OTHER;
    TRANSITIONS.forEach((row, state) => row.forEach((next, cls) => (this.memory[STATES + state * 4 + cls] = next)));
    this.i32 = new Int32Array(memory.buffer, RECORDS, (MAX_RECORDS * RECORD_BYTES) / 4);
    this.f64 = new Float64Array(memory.buffer, RECORDS, (MAX_RECORDS * RECORD_BYTES) / 8);
    this.block = this.memory.subarray(DATA, DATA + capacity);
  }

  /**
   * A kernel with a block of `capacity` bytes, reused when one is idle (a WebAssembly memory
   * reserves far more address space than it holds); undefined where this runtime has no
   * WebAssembly. Give it back with `release`.
   */
  static acquire(capacity: number): LineFields | undefined {
    if (!compileKernels(LINE_FIELDS_WASM)) return undefined;
    const at = idle.findLastIndex((k) => k.block.length === capacity);
    return at >= 0 ? idle.splice(at, 1)[0]! : new LineFields(capacity);
  }

  release(): void {
    if (idle.includes(this)) return;
    if (idle.length >= MAX_IDLE) idle.shift();
    idle.push(this);
  }

  /** Reads the whole lines of block[from, end) (`end` just past a newline), up to MAX_RECORDS of them; returns how many. */
  scan(from: number, end: number): number {
    return this.kernel.lines(DATA + from, DATA + end, RECORDS, MAX_RECORDS);
  }

  /** Where the line after record k's starts in the block. */
  next(k: number): number {
    return this.i32[k * 16 + 2]! - DATA;
  }

  /** Record k's line (a CR before its newline left out), decoded: the caller sends ASCII lines only. */
  text(k: number, from = 0): string {
    const s = this.i32[k * 16]! - DATA;
    return this.block.toString('latin1', s + from, this.i32[k * 16 + 1]! - DATA);
  }

  decided(k: number): boolean {
    return this.i32[k * 16 + 3] === 1;
  }

  /** Timestamp: index and length in the line, day as yyyymmdd, milliseconds into the day with the zone applied. */
  timestampIndex(k: number): number {
    return this.i32[k * 16 + 4]!;
  }

  timestampLength(k: number): number {
    return this.i32[k * 16 + 5]!;
  }

  day(k: number): number {
    return this.i32[k * 16 + 6]!;
  }

  msOfDay(k: number): number {
    return this.i32[k * 16 + 7]!;
  }

  /** Where the level ends in the line (past a ']' right after the word). */
  levelEnd(k: number): number {
    return this.i32[k * 16 + 10]!;
  }

  messageStart(k: number): number {
    return this.i32[k * 16 + 11]!;
  }

  /** The level word's key, as levels.ts computes it. */
  levelKey(k: number): number {
    return this.f64[k * 8 + 6]!;
  }

  /** The message's skeleton hash, as skeletonHash gives it. */
  skeleton(k: number): number {
    return skeletonKey(this.i32[k * 16 + 14]!, this.i32[k * 16 + 15]!);
  }
}

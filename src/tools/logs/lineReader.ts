import { createReadStream } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { isAscii } from 'node:buffer';
import { createGunzip } from 'node:zlib';
import { openRegularFile } from '../regularFile';
import { readHead, sniffContent } from './sniff';

/**
 * Longest part of a line kept in memory; the rest of a longer line is skipped, not buffered, so
 * the Node scan cannot match text past this point of a line (ripgrep, when used, can).
 */
export const MAX_LINE_BYTES = 1024 * 1024;
/** Text logs compress 5-20×; past this ratio (and this much output) a .gz is treated as a bomb. */
export const MAX_GZIP_RATIO = 100;
export const GZIP_RATIO_CHECK_AFTER_BYTES = 64 * 1024 * 1024;
/** Bytes of a plain file read at a time, into one buffer reused for the whole file. */
export const READ_BYTES = 1024 * 1024;

export class GzipBombError extends Error {}

export interface LogLine {
  /** 1-based. */
  number: number;
  text: string;
  /** Bytes of the line as stored, when more than `text` holds. */
  fullLength?: number;
}

/** The lines of one block of a file, as plain strings: what a hot loop reads without an object per line. */
export interface TextBatch {
  /** The lines' texts, in file order. */
  texts: string[];
  /** The full length in bytes of each line cut at MAX_LINE_BYTES, by its index in `texts`; absent when none was cut. */
  cut?: Map<number, number>;
}

/**
 * Streams the lines of a plain or gzipped file with bounded memory, whatever the file size or
 * line length: CRLF is stripped, invalid UTF-8 becomes U+FFFD, and a line longer than
 * `MAX_LINE_BYTES` is cut (its full length is reported). Anything but a regular file (a FIFO, a
 * folder) is refused with a NotAFileError before a byte is read.
 */
export async function* readLines(file: string, signal?: AbortSignal): AsyncGenerator<LogLine> {
  for await (const batch of readLineBatches(file, signal)) yield* batch;
}

/** Where to start reading a plain file instead of its top: a line start, and that line's number (see timeSeek.ts). */
export interface ReadStart {
  offset: number;
  /** 1-based. */
  line: number;
}

/** `readLines` a chunk at a time: hot loops then run without an await per line. */
export async function* readLineBatches(file: string, signal?: AbortSignal, start?: ReadStart): AsyncGenerator<LogLine[]> {
  let number = start ? start.line - 1 : 0;
  for await (const { texts, cut } of readTextBatches(file, signal, start?.offset))
    yield texts.map((text, i) => {
      const line: LogLine = { number: ++number, text };
      const full = cut?.get(i);
      if (full !== undefined) line.fullLength = full;
      return line;
    });
}

/**
 * The lines `readLines` gives, a block at a time as strings, numbered by their position (the
 * first text of the file is line 1). Never yields an empty batch. A plain file may be read from
 * `offset` on, which must be a line start; a gzip file is always read from its start.
 */
export async function* readTextBatches(file: string, signal?: AbortSignal, offset = 0): AsyncGenerator<TextBatch> {
  const { handle, gzip } = await openLog(file);
  const splitter = new LineSplitter();
  for await (const chunk of gzip ? gunzipped(handle, signal) : blocks(handle, offset, signal)) {
    const batch = splitter.push(chunk);
    if (batch.texts.length) yield batch;
  }
  const last = splitter.end();
  if (last) yield last;
}

/** Whole ASCII lines in the caller's buffer, [from, to): `to` is just past a newline. Valid until the next part is asked for. */
export interface AsciiLines {
  from: number;
  to: number;
}

/**
 * What `readTextBatches` reads, for a reader that takes ASCII lines as bytes: the file is read
 * into `into` (a gzip file's expanded chunks are copied there), and each stretch of whole lines
 * that is all ASCII is given as its place in `into` instead of as strings. The rest — a line that
 * spans two blocks, a stretch with other bytes, a file's unterminated last line — comes as texts,
 * exactly as readTextBatches gives them, in file order.
 */
export async function* readLineParts(file: string, into: Buffer, signal?: AbortSignal): AsyncGenerator<TextBatch | AsciiLines> {
  const { handle, gzip } = await openLog(file);
  const splitter = new LineSplitter();
  for await (const chunk of gzip ? gunzipped(handle, signal) : blocks(handle, 0, signal, into)) {
    // A gzip chunk larger than the buffer (zlib gives 16 KiB ones) is split as texts.
    const block = !gzip ? chunk : chunk.length <= into.length ? into.subarray(0, chunk.copy(into)) : undefined;
    if (!block) {
      const batch = splitter.push(chunk);
      if (batch.texts.length) yield batch;
      continue;
    }
    const batch: TextBatch = { texts: [] };
    const { start, end } = splitter.take(block, batch);
    if (batch.texts.length) yield batch;
    if (end <= start) continue;
    if (isAscii(block.subarray(start, end))) yield { from: start, to: end };
    else {
      const lines: TextBatch = { texts: [] };
      decodeLines(block, start, end, lines);
      yield lines;
    }
  }
  const last = splitter.end();
  if (last) yield last;
}

/** Opens a log for reading and tells whether it is gzip (two bytes are enough; whether it is binary was decided by whoever chose to read it). */
async function openLog(file: string): Promise<{ handle: FileHandle; gzip: boolean }> {
  const { handle } = await openRegularFile(file);
  try {
    return { handle, gzip: sniffContent(await readHead(handle, 2)) === 'gzip' };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * A plain file's bytes, read into one reused buffer: each block is valid until the next is asked
 * for (the splitter copies the little it keeps), so reading allocates nothing per block.
 */
async function* blocks(handle: FileHandle, from: number, signal?: AbortSignal, buf: Buffer = Buffer.allocUnsafe(READ_BYTES)): AsyncGenerator<Buffer> {
  let position = from;
  try {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const { bytesRead } = await handle.read(buf, 0, buf.length, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** A gzip file's expanded bytes, stopped with a GzipBombError once they outgrow what a log compresses to. */
async function* gunzipped(handle: FileHandle, signal?: AbortSignal): AsyncGenerator<Buffer> {
  // The stream owns the handle from here and closes it when it ends, fails or is abandoned.
  const raw = createReadStream('', { fd: handle, start: 0, highWaterMark: 256 * 1024, signal });
  const source = raw.pipe(createGunzip());
  let compressed = 0;
  let expanded = 0;
  raw.on('error', (err) => source.destroy(err));
  raw.on('data', (c: string | Buffer) => (compressed += c.length));
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      expanded += chunk.length;
      if (expanded > GZIP_RATIO_CHECK_AFTER_BYTES && expanded > compressed * MAX_GZIP_RATIO) {
        source.destroy();
        throw new GzipBombError(`it expands more than ${MAX_GZIP_RATIO}× (${expanded.toLocaleString('en-US')} bytes from ${compressed.toLocaleString('en-US')}); a gzip bomb, or not a log`);
      }
      yield chunk;
    }
  } finally {
    // Destroying the gunzip side does not destroy the file stream piped into it: close the file
    // here, also when the reader stops early (read_log past its last line) or fails.
    raw.destroy();
  }
}

/** The texts of the whole lines in chunk[start, end), as LineSplitter gives them, into `batch`. */
function decodeLines(chunk: Buffer, start: number, end: number, batch: TextBatch): void {
  if (end <= start) return;
  const ascii = isAscii(chunk.subarray(start, end));
  const texts = batch.texts;
  let nl: number;
  while (start < end && (nl = chunk.indexOf(0x0a, start)) !== -1) {
    if (nl - start > MAX_LINE_BYTES) {
      (batch.cut ??= new Map()).set(texts.length, nl - start);
      texts.push(chunk.toString('utf8', start, start + MAX_LINE_BYTES));
    } else {
      const lineEnd = nl > start && chunk[nl - 1] === 0x0d ? nl - 1 : nl;
      texts.push(chunk.toString(ascii ? 'latin1' : 'utf8', start, lineEnd));
    }
    start = nl + 1;
  }
}

/**
 * Cuts blocks of bytes into line texts. A line wholly inside a block is decoded straight from it
 * (as latin1 when the block is ASCII, which reads the same and is faster); only the line that
 * spans two blocks is copied aside, at most MAX_LINE_BYTES of it. Blocks may be of any size.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflow = 0;

  push(chunk: Buffer): TextBatch {
    const batch: TextBatch = { texts: [] };
    const { start, end } = this.take(chunk, batch);
    decodeLines(chunk, start, end, batch);
    return batch;
  }

  /**
   * Finishes the line left unfinished by the chunk before (into `batch`) and keeps aside the
   * unfinished end of this one; returns where the whole lines between lie, [start, end): `end`
   * is just past a newline, and equals `start` when there are none.
   */
  take(chunk: Buffer, batch: TextBatch): { start: number; end: number } {
    let start = 0;
    if (this.pendingBytes > 0 || this.overflow > 0) {
      const nl = chunk.indexOf(0x0a);
      if (nl === -1) {
        this.keep(chunk, 0, chunk.length);
        return { start: chunk.length, end: chunk.length };
      }
      this.keep(chunk, 0, nl);
      this.finish(batch);
      start = nl + 1;
    }
    const end = Math.max(start, chunk.lastIndexOf(0x0a) + 1);
    if (end < chunk.length) this.keep(chunk, end, chunk.length);
    return { start, end };
  }

  /** The last line, when the file does not end with a newline. */
  end(): TextBatch | undefined {
    if (this.pendingBytes === 0 && this.overflow === 0) return undefined;
    const batch: TextBatch = { texts: [] };
    this.finish(batch);
    return batch;
  }

  /** Copies bytes of the unfinished line aside (the block they are in will be overwritten), up to MAX_LINE_BYTES. */
  private keep(chunk: Buffer, from: number, to: number): void {
    const take = Math.min(to - from, MAX_LINE_BYTES - this.pendingBytes);
    if (take > 0) {
      this.pending.push(Buffer.from(chunk.subarray(from, from + take)));
      this.pendingBytes += take;
    }
    this.overflow += to - from - Math.max(0, take);
  }

  private finish(batch: TextBatch): void {
    let buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    if (this.overflow === 0 && buf.length > 0 && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    if (this.overflow > 0) (batch.cut ??= new Map()).set(batch.texts.length, this.pendingBytes + this.overflow);
    batch.texts.push(buf.toString('utf8'));
    this.pending = [];
    this.pendingBytes = 0;
    this.overflow = 0;
  }
}

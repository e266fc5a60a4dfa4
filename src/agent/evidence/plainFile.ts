import type { FileHandle } from 'node:fs/promises';
import { countNewlines } from '../../tools/logs/newlines';
import { MAX_COMPARED_LINE_CHARS } from './excerpt';
import type { ReadMeter } from './readMeter';

/** One read: large enough that counting newlines, not system calls, is the cost. */
const CHUNK_BYTES = 1024 * 1024;
/**
 * Read buffers, used in turn: a chunk stays valid while the next one is read (a block and the
 * one after it, in a search), and a gigabyte is read without allocating a gigabyte for the
 * collector to sweep.
 */
const BUFFERS = 3;
const NEWLINE = 0x0a;
const CR = 0x0d;

/** Lines of a block of whole lines, as the scan hands them on. */
export interface LineBlock {
  /** Whole lines: ends with a newline, except the file's last line when it has none. */
  buf: Buffer;
  /** Number of the block's first line (1-based). */
  firstLine: number;
  /** Lines in the block. */
  lines: number;
}

/**
 * An uncompressed file read by byte offset, for lines deep in large logs: to reach line N it
 * counts newline bytes in raw chunks (Buffer.indexOf) and decodes only the lines asked for.
 * Where each chunk ended is remembered as a (line, offset) mark, so reaching a later line, or the
 * same one again, starts from the nearest mark instead of the top of the file.
 */
export class PlainFile {
  /** Offsets where lines start, with their numbers, in order: every search starts from the nearest one. */
  private readonly marks: { line: number; offset: number }[] = [{ line: 1, offset: 0 }];
  /** The last chunk read: a window right after a skip reads from it instead of the disk. */
  private cached: { offset: number; buf: Buffer } | undefined;
  private readonly buffers: Buffer[] = [];
  private turn = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
    private readonly meter: ReadMeter,
  ) {}

  /**
   * Up to CHUNK_BYTES from `offset`: fewer at the end of the file, or of the last chunk read when
   * it holds `offset` and `fresh` is not asked for. Valid until BUFFERS - 1 more chunks are read.
   */
  private async chunkAt(offset: number, fresh = false): Promise<Buffer> {
    const c = this.cached;
    if (!fresh && c && offset >= c.offset && offset < c.offset + c.buf.length) return c.buf.subarray(offset - c.offset);
    this.meter.check();
    const buf = (this.buffers[this.turn] ??= Buffer.allocUnsafe(CHUNK_BYTES));
    this.turn = (this.turn + 1) % BUFFERS;
    const { bytesRead } = await this.handle.read(buf, 0, Math.min(CHUNK_BYTES, this.size - offset), offset);
    this.meter.take(bytesRead);
    this.cached = { offset, buf: buf.subarray(0, bytesRead) };
    return this.cached.buf;
  }

  private nearestMark(line: number): { line: number; offset: number } {
    let lo = 0;
    let hi = this.marks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.marks[mid]!.line <= line) lo = mid;
      else hi = mid - 1;
    }
    return this.marks[lo]!;
  }

  private addMark(line: number, offset: number): void {
    const at = this.marks.findIndex((m) => m.line >= line);
    if (at === -1) this.marks.push({ line, offset });
    else if (this.marks[at]!.line !== line) this.marks.splice(at, 0, { line, offset });
  }

  /** Byte offset where line `line` starts, or undefined when the file has fewer lines. */
  async lineStart(line: number): Promise<number | undefined> {
    const mark = this.nearestMark(line);
    let current = mark.line;
    let offset = mark.offset;
    while (current < line) {
      if (offset >= this.size) return undefined;
      const buf = await this.chunkAt(offset);
      let pos = 0;
      for (let nl: number; current < line && (nl = buf.indexOf(NEWLINE, pos)) !== -1;) {
        current++;
        pos = nl + 1;
      }
      if (pos > 0) this.addMark(current, offset + pos);
      offset += current === line ? pos : buf.length;
    }
    return offset < this.size ? offset : undefined;
  }

  /**
   * Up to `count` lines from the line starting at `offset`, decoded as UTF-8 without their line
   * ending. Each keeps at most MAX_COMPARED_LINE_CHARS bytes: the rest is skipped, not held.
   */
  async readLines(offset: number, count: number): Promise<string[]> {
    const lines: string[] = [];
    let parts: Buffer[] = [];
    let kept = 0;
    const keep = (part: Buffer) => {
      const room = MAX_COMPARED_LINE_CHARS - kept;
      if (room <= 0) return;
      // A copy: the chunk it comes from is reused for a later read.
      const piece = Buffer.from(part.length > room ? part.subarray(0, room) : part);
      parts.push(piece);
      kept += piece.length;
    };
    const finish = () => {
      lines.push(decodeLine(parts.length === 1 ? parts[0]! : Buffer.concat(parts)));
      parts = [];
      kept = 0;
    };
    let at = offset;
    while (lines.length < count && at < this.size) {
      const buf = await this.chunkAt(at);
      let pos = 0;
      while (lines.length < count) {
        const nl = buf.indexOf(NEWLINE, pos);
        keep(buf.subarray(pos, nl === -1 ? buf.length : nl));
        if (nl === -1) {
          pos = buf.length;
          break;
        }
        finish();
        pos = nl + 1;
      }
      at += pos;
    }
    if (lines.length < count && parts.length > 0) finish();
    return lines;
  }

  /**
   * The whole file from the top in blocks of whole lines, each valid until the next but one is
   * read. Each read starts where the last whole line ended, so the partial line at the end of a
   * chunk is read again rather than copied; a line longer than a chunk keeps its first
   * MAX_COMPARED_LINE_CHARS bytes and the rest is skipped.
   */
  async *blocks(signal?: AbortSignal): AsyncGenerator<LineBlock> {
    let offset = 0;
    let line = 1;
    while (offset < this.size) {
      signal?.throwIfAborted();
      const data = await this.chunkAt(offset, true);
      const lastNl = data.lastIndexOf(NEWLINE);
      if (lastNl !== -1 || offset + data.length >= this.size) {
        const buf = lastNl !== -1 ? data.subarray(0, lastNl + 1) : data;
        const lines = countNewlines(buf) + (lastNl === -1 ? 1 : 0);
        yield { buf, firstLine: line, lines };
        line += lines;
        offset += buf.length;
        continue;
      }
      const head = Buffer.concat([data.subarray(0, MAX_COMPARED_LINE_CHARS), Buffer.from('\n')]);
      let end = offset + data.length;
      while (end < this.size) {
        const more = await this.chunkAt(end, true);
        const nl = more.indexOf(NEWLINE);
        end += nl === -1 ? more.length : nl + 1;
        if (nl !== -1) break;
      }
      yield { buf: head, firstLine: line, lines: 1 };
      line++;
      offset = end;
    }
  }
}

/** The block's lines, decoded (a trailing CR dropped, as the log reader does). */
export function decodeLines(buf: Buffer): string[] {
  const text = buf.toString('utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** The first `count` lines of a block, as bytes. */
export function firstLines(buf: Buffer, count: number): Buffer {
  let end = 0;
  for (let i = 0; i < count && end < buf.length; i++) {
    const nl = buf.indexOf(NEWLINE, end);
    end = nl === -1 ? buf.length : nl + 1;
  }
  return buf.subarray(0, end);
}

/** The last `count` lines of a block, decoded, without decoding the rest. */
export function lastLines(buf: Buffer, count: number): string[] {
  const lines: string[] = [];
  let end = buf.length > 0 && buf[buf.length - 1] === NEWLINE ? buf.length - 1 : buf.length;
  while (lines.length < count && end >= 0) {
    const start = end === 0 ? 0 : buf.lastIndexOf(NEWLINE, end - 1) + 1;
    lines.unshift(decodeLine(buf.subarray(start, end)));
    if (start === 0) break;
    end = start - 1;
  }
  return lines;
}

function decodeLine(buf: Buffer): string {
  return (buf.length > 0 && buf[buf.length - 1] === CR ? buf.subarray(0, buf.length - 1) : buf).toString('utf8');
}

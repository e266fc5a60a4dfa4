import { createReadStream } from 'node:fs';
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

export class GzipBombError extends Error {}

export interface LogLine {
  /** 1-based. */
  number: number;
  text: string;
  /** Bytes of the line as stored, when more than `text` holds. */
  fullLength?: number;
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

/** `readLines` a chunk at a time: hot loops then run without an await per line. */
export async function* readLineBatches(file: string, signal?: AbortSignal): AsyncGenerator<LogLine[]> {
  const { handle } = await openRegularFile(file);
  let gzip: boolean;
  try {
    // Two bytes are enough to tell gzip; whether the file is binary was decided by whoever chose to read it.
    gzip = sniffContent(await readHead(handle, 2)) === 'gzip';
  } catch (err) {
    await handle.close();
    throw err;
  }
  // The stream owns the handle from here and closes it when it ends, fails or is abandoned.
  const raw = createReadStream('', { fd: handle, start: 0, highWaterMark: 256 * 1024, signal });
  const source = gzip ? raw.pipe(createGunzip()) : raw;
  let compressed = 0;
  let expanded = 0;
  if (gzip) {
    raw.on('error', (err) => source.destroy(err));
    raw.on('data', (c: string | Buffer) => (compressed += c.length));
  }
  let number = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overflow = 0;

  const finishLine = (): LogLine => {
    let buf = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
    if (overflow === 0 && buf.length > 0 && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    const line: LogLine = { number: ++number, text: buf.toString('utf8') };
    if (overflow > 0) line.fullLength = pendingBytes + overflow;
    pending = [];
    pendingBytes = 0;
    overflow = 0;
    return line;
  };
  const keep = (part: Buffer) => {
    const room = MAX_LINE_BYTES - pendingBytes;
    if (part.length <= room) {
      if (part.length) pending.push(part);
      pendingBytes += part.length;
    } else {
      if (room > 0) pending.push(part.subarray(0, room));
      pendingBytes += Math.max(0, room);
      overflow += part.length - Math.max(0, room);
    }
  };

  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const batch: LogLine[] = [];
      if (gzip) {
        expanded += chunk.length;
        if (expanded > GZIP_RATIO_CHECK_AFTER_BYTES && expanded > compressed * MAX_GZIP_RATIO) {
          source.destroy();
          throw new GzipBombError(`it expands more than ${MAX_GZIP_RATIO}× (${expanded.toLocaleString('en-US')} bytes from ${compressed.toLocaleString('en-US')}); a gzip bomb, or not a log`);
        }
      }
      let start = 0;
      let nl: number;
      while ((nl = chunk.indexOf(0x0a, start)) !== -1) {
        keep(chunk.subarray(start, nl));
        batch.push(finishLine());
        start = nl + 1;
      }
      if (start < chunk.length) keep(chunk.subarray(start));
      if (batch.length) yield batch;
    }
    if (pendingBytes > 0 || overflow > 0) yield [finishLine()];
  } finally {
    // Destroying the gunzip side does not destroy the file stream piped into it: close the file
    // here, also when the reader stops early (read_log past its last line) or fails.
    raw.destroy();
  }
}

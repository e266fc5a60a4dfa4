import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/** Longest part of a line kept in memory; the rest of a longer line is skipped, not buffered. */
export const MAX_LINE_BYTES = 64 * 1024;

export interface LogLine {
  /** 1-based. */
  number: number;
  text: string;
  /** Bytes of the line as stored, when more than `text` holds. */
  fullLength?: number;
}

export async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    return bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Streams the lines of a plain or gzipped file with bounded memory, whatever the file size or
 * line length: CRLF is stripped, invalid UTF-8 becomes U+FFFD, and a line longer than
 * `MAX_LINE_BYTES` is cut (its full length is reported).
 */
export async function* readLines(file: string, signal?: AbortSignal): AsyncGenerator<LogLine> {
  const raw = createReadStream(file, { highWaterMark: 256 * 1024, signal });
  const source = (await isGzip(file)) ? raw.pipe(createGunzip()) : raw;
  if (source !== raw) raw.on('error', (err) => source.destroy(err));
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

  for await (const chunk of source as AsyncIterable<Buffer>) {
    let start = 0;
    let nl: number;
    while ((nl = chunk.indexOf(0x0a, start)) !== -1) {
      keep(chunk.subarray(start, nl));
      yield finishLine();
      start = nl + 1;
    }
    if (start < chunk.length) keep(chunk.subarray(start));
  }
  if (pendingBytes > 0 || overflow > 0) yield finishLine();
}

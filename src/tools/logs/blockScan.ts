import { openRegularFile } from '../regularFile';
import { ByteScanner, byteScanAvailable } from './byteScan';
import { MAX_LINE_BYTES, type LogLine } from './lineReader';
import type { Anchor } from './searchAnchor';
import { readHead, sniffContent } from './sniff';

/** Bytes read at a time; whole lines of them are searched at once. Larger than MAX_LINE_BYTES, so a cut line's head fits. */
export const BLOCK_BYTES = 2 * 1024 * 1024;

/** A line a query matched, with up to `context` lines either side (fewer at the file's ends). */
export interface LineHit {
  line: LogLine;
  before: LogLine[];
  after: LogLine[];
}

/**
 * The lines of a plain (not gzip) file whose text `matches`, found without splitting the file
 * into lines: each block of whole lines is searched as raw bytes for the anchors (byteScan), and
 * only the lines that hold one are decoded and tested; newlines are counted, also as raw bytes,
 * up to each such line. The lines, their numbers, cuts and context are those readLines gives:
 * CRLF stripped, invalid UTF-8 as U+FFFD, a line past MAX_LINE_BYTES cut with its full length.
 * Hits come in batches, in line order, each once its after-context is complete (a query that
 * matches most lines would otherwise spend its time passing hits along one by one). Returns
 * undefined, having read nothing past the head, for a gzip file, and at once where WebAssembly
 * is not available (node --jitless): the caller then reads line by line.
 */
export async function scanBlocks(file: string, anchors: readonly Anchor[], matches: (text: string) => boolean, context: number, signal?: AbortSignal): Promise<AsyncGenerator<LineHit[]> | undefined> {
  if (!byteScanAvailable()) return undefined;
  const { handle } = await openRegularFile(file);
  try {
    if (sniffContent(await readHead(handle, 2)) === 'gzip') {
      await handle.close();
      return undefined;
    }
  } catch (err) {
    await handle.close();
    throw err;
  }
  return scan(handle, anchors, matches, context, signal);
}

type Handle = Awaited<ReturnType<typeof openRegularFile>>['handle'];

async function* scan(handle: Handle, anchors: readonly Anchor[], matches: (text: string) => boolean, context: number, signal?: AbortSignal): AsyncGenerator<LineHit[]> {
  const scanner = ByteScanner.acquire(BLOCK_BYTES, anchors);
  const buf = scanner.block;
  let filled = 0; // bytes of buf holding data not yet searched, from its start
  let position = 0;
  let firstLine = 1; // number of the line that starts at buf[0]
  // A line too long for the block: its head is searched alone, the rest skipped up to its newline.
  let longHead: Buffer | undefined;
  let longLength = 0;
  const tail: LogLine[] = []; // the last `context` lines before the current block
  let waiting: LineHit[] = []; // hits still short of after-context, in line order
  let done: LineHit[] = []; // hits complete, not yet handed out

  /** Gives the waiting hits the lines that follow them, and moves those now complete to `done`. */
  const feed = (lines: readonly LogLine[]) => {
    if (lines.length) for (const hit of waiting) if (hit.after.length < context) hit.after.push(...lines.slice(0, context - hit.after.length));
    let complete = 0;
    while (complete < waiting.length && waiting[complete]!.after.length >= context) complete++;
    if (complete === 0) return;
    done.push(...waiting.slice(0, complete));
    waiting = waiting.slice(complete);
  };
  const remember = (lines: LogLine[]) => {
    tail.push(...lines);
    tail.splice(0, Math.max(0, tail.length - context));
  };
  const handOut = () => {
    const out = done;
    done = [];
    return out;
  };

  try {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const { bytesRead } = await handle.read(buf, filled, BLOCK_BYTES - filled, position);
      if (position === 0) scanner.tune(buf.subarray(0, bytesRead));
      position += bytesRead;
      filled += bytesRead;
      const eof = bytesRead === 0;

      if (longHead) {
        // Still inside a cut line: skip to its end.
        const nl = buf.subarray(0, filled).indexOf(0x0a);
        if (nl < 0 && !eof) {
          longLength += filled;
          filled = 0;
          continue;
        }
        longLength += nl < 0 ? filled : nl;
        const line: LogLine = { number: firstLine++, text: longHead.toString('utf8'), fullLength: longLength };
        longHead = undefined;
        feed([line]);
        if (matches(line.text)) waiting.push({ line, before: tail.slice(), after: [] });
        feed([]);
        remember([line]);
        const rest = nl < 0 ? filled : nl + 1;
        buf.copyWithin(0, rest, filled);
        filled -= rest;
        if (done.length) yield handOut();
        if (eof && filled === 0) break;
        continue;
      }

      // Whole lines: up to the last newline, or everything at the end of the file.
      const end = eof ? filled : buf.lastIndexOf(0x0a, filled - 1) + 1;
      if (end === 0 && filled === BLOCK_BYTES) {
        // No newline in a full block: a line longer than MAX_LINE_BYTES. Keep its head, skip the rest.
        longHead = Buffer.from(buf.subarray(0, MAX_LINE_BYTES));
        longLength = filled;
        filled = 0;
        continue;
      }
      if (end > 0) {
        firstLine += searchBlock(buf.subarray(0, end), firstLine);
        buf.copyWithin(0, end, filled);
        filled -= end;
        if (done.length) yield handOut();
      }
      if (eof) break;
    }
    done.push(...waiting);
    if (done.length) yield handOut();
  } finally {
    scanner.release();
    await handle.close();
  }

  /** Searches one block of whole lines numbered from `first`, leaves its last lines in `tail`, and returns how many lines it holds. */
  function searchBlock(block: Buffer, first: number): number {
    const lineAt = (start: number, number: number): { line: LogLine; next: number } => {
      const nl = block.indexOf(0x0a, start);
      const stop = nl < 0 ? block.length : nl;
      return { line: decodeLine(block, start, stop, number), next: nl < 0 ? block.length : nl + 1 };
    };
    const linesFrom = (start: number, number: number, count: number): LogLine[] => {
      const lines: LogLine[] = [];
      for (let at = start, n = number; lines.length < count && at < block.length; n++) {
        const { line, next } = lineAt(at, n);
        lines.push(line);
        at = next;
      }
      return lines;
    };
    // Hits of earlier blocks still short of context take this block's first lines.
    if (waiting.length) feed(linesFrom(0, first, context));

    const find = scanner.finder(block.length);
    let number = first; // the line that starts at lineStart; every newline before lineStart is counted
    let lineStart = 0;
    for (let at = find(0); at >= 0; at = find(lineStart)) {
      const newlines = scanner.count(lineStart, at);
      if (newlines > 0) {
        number += newlines;
        lineStart = block.lastIndexOf(0x0a, at - 1) + 1;
      }
      const { line, next } = lineAt(lineStart, number);
      const start = lineStart;
      // One test per line: the search goes on from the next line.
      number++;
      lineStart = next;
      if (!matches(line.text)) continue;
      const before = context > 0 ? [...tail, ...linesBefore(block, start, line.number, context)].slice(-context) : [];
      waiting.push({ line, before, after: linesFrom(next, line.number + 1, context) });
      feed([]);
    }
    number += scanner.count(lineStart, block.length);
    // The end of the file may come without a final newline.
    const unterminated = block.length > 0 && block[block.length - 1] !== 0x0a;
    if (unterminated) number++;
    if (context > 0) remember(linesBefore(block, unterminated ? block.length + 1 : block.length, number, context));
    return number - first;
  }
}

/** The start of the line holding byte `at`. */
function lineStartOf(block: Buffer, at: number): number {
  return at <= 0 ? 0 : block.lastIndexOf(0x0a, at - 1) + 1;
}

/** Up to `count` lines before the line starting at `start` (numbered `number`), within the block, in order. */
function linesBefore(block: Buffer, start: number, number: number, count: number): LogLine[] {
  const lines: LogLine[] = [];
  let end = start; // the byte after the newline that ends the line before
  for (let n = number - 1; lines.length < count && end > 0; n--) {
    const from = lineStartOf(block, end - 1);
    lines.unshift(decodeLine(block, from, end - 1, n));
    end = from;
  }
  return lines;
}

/** One line as readLines makes it: a line past MAX_LINE_BYTES keeps its head (CR and all) and its full length. */
function decodeLine(block: Buffer, start: number, stop: number, number: number): LogLine {
  if (stop - start > MAX_LINE_BYTES) return { number, text: block.toString('utf8', start, start + MAX_LINE_BYTES), fullLength: stop - start };
  const end = stop > start && block[stop - 1] === 0x0d ? stop - 1 : stop;
  return { number, text: block.toString('utf8', start, end) };
}

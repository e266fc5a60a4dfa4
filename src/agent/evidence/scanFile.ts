import { readLineBatches } from '../../tools/logs/lineReader';
import { MAX_EXCERPT_LINES } from '../../shared/report';
import { decodeLines, firstLines, lastLines, type LineBlock, type PlainFile } from './plainFile';
import type { NearestScanner } from './nearestScanner';
import type { ReadMeter } from './readMeter';

/** How a scan ended: every needle settled, the file ended, or the search's byte limit stopped it first. */
export type ScanEnd = 'settled' | 'end' | 'limit';

/** Where a search stops: once the meter that counts the report's reads passes `stopAt`. */
export interface SearchLimit {
  meter: ReadMeter;
  /** The meter's reading past which the search stops. */
  stopAt: number;
}

/**
 * A plain file from the top. A block of lines where no match can start (see
 * NearestScanner.wants, judged with the first lines of the next block, into which a window may
 * reach: the scan reads one block ahead) is counted, not decoded, but for the lines that windows
 * from the block before still need; its last lines are kept for windows that start there.
 */
export async function scanPlain(file: PlainFile, scanner: NearestScanner, limit: SearchLimit, signal?: AbortSignal): Promise<ScanEnd> {
  /** The last line the windows of decoded blocks reach. */
  let neededUntil = 0;
  const feed = (block: LineBlock, next?: Buffer): ScanEnd | undefined => {
    const lastNumber = block.firstLine + block.lines - 1;
    if (scanner.wants(block.buf, next)) {
      decodeLines(block.buf).forEach((text, i) => scanner.push(block.firstLine + i, text));
      neededUntil = lastNumber + MAX_EXCERPT_LINES - 1;
    } else {
      const owed = Math.min(neededUntil - block.firstLine + 1, block.lines);
      if (owed > 0) decodeLines(firstLines(block.buf, owed)).forEach((text, i) => scanner.push(block.firstLine + i, text));
      if (owed < block.lines) scanner.skip(lastNumber, lastLines(block.buf, MAX_EXCERPT_LINES - 1));
    }
    if (scanner.done) return 'settled';
    if (limit.meter.bytes >= limit.stopAt) return 'limit';
    return undefined;
  };
  let held: LineBlock | undefined;
  for await (const block of file.blocks(signal)) {
    const end = held && feed(held, firstLines(block.buf, MAX_EXCERPT_LINES - 1));
    if (end) return end;
    held = block;
  }
  const end = held && feed(held);
  if (end) return end;
  scanner.finish();
  return 'end';
}

/**
 * A gzip file through the tools' line reader (its decompression guard stops a gzip bomb with a
 * GzipBombError). Decompressed bytes count as read: they are what the scan costs.
 */
export async function scanGzip(file: string, scanner: NearestScanner, limit: SearchLimit, signal?: AbortSignal): Promise<ScanEnd> {
  for await (const batch of readLineBatches(file, signal)) {
    limit.meter.check();
    for (const line of batch) {
      scanner.push(line.number, line.text);
      limit.meter.take((line.fullLength ?? line.text.length) + 1);
    }
    if (scanner.done) return 'settled';
    if (limit.meter.bytes >= limit.stopAt) return 'limit';
  }
  scanner.finish();
  return 'end';
}

import { readLineBatches } from '../../tools/logs/lineReader';
import { MAX_EXCERPT_LINES } from '../../shared/report';
import { decodeLines, lastLines, type PlainFile } from './plainFile';
import type { NearestScanner } from './nearestScanner';
import type { ReadMeter } from './readMeter';

/** How a scan ended: every needle settled, the file ended, or the search's byte limit stopped it first. */
export type ScanEnd = 'settled' | 'end' | 'limit';

/** Stops a search when it has read `limitBytes` more than the meter showed at its start. */
export interface SearchLimit {
  meter: ReadMeter;
  /** The meter's reading past which the search stops. */
  stopAt: number;
}

/**
 * A plain file from the top: a block of lines holding none of the tokens is counted, not decoded
 * (only its last lines are kept, for a window that starts there); the others are fed line by line.
 */
export async function scanPlain(file: PlainFile, scanner: NearestScanner, limit: SearchLimit, signal?: AbortSignal): Promise<ScanEnd> {
  for await (const block of file.blocks(signal)) {
    const lastNumber = block.firstLine + block.lines - 1;
    if (scanner.wants(block.buf)) decodeLines(block.buf).forEach((text, i) => scanner.push(block.firstLine + i, text));
    else scanner.skip(lastNumber, lastLines(block.buf, MAX_EXCERPT_LINES - 1));
    if (scanner.done) return 'settled';
    if (limit.meter.bytes >= limit.stopAt) return 'limit';
  }
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
      limit.meter.take(line.text.length + 1);
    }
    if (scanner.done) return 'settled';
    if (limit.meter.bytes >= limit.stopAt) return 'limit';
  }
  scanner.finish();
  return 'end';
}

import { stat } from 'node:fs/promises';
import { ErrorBurstDetector } from '../../tools/logs/errorBurst';
import { findLevel, findLevelAfter } from '../../tools/logs/levels';
import { GzipBombError, readLineBatches, type LogLine } from '../../tools/logs/lineReader';
import { shownLine } from '../../tools/logs/lineCut';
import type { LogTarget } from '../../tools/logs/targets';
import { SAMPLE_CHARS } from '../../tools/logs/windowComparison';
import { TimestampParser } from '../../tools/logs/timestamps';

/** What one pass over a file found before it ended or the deadline came. */
export interface FileScan {
  file: string;
  lines: number;
  /** Read to its end. */
  complete: boolean;
  /** Its first burst is found and past: what is left of the file cannot change it (only the line count). */
  settled: boolean;
  first?: number;
  last?: number;
  burst?: { line: number; ms: number; count: number; sample: string };
}

export interface LogScan {
  files: FileScan[];
  /** Files not reached before the deadline. */
  unread: string[];
  notes: string[];
}

/** Past its burst, a file larger than this is not read on for its line count: the budget is better spent on the next file. */
const COUNT_LINES_UP_TO_BYTES = 32 * 2 ** 20;

/**
 * One pass over each file, newest first (the current log before its rotations), until the deadline:
 * line counts, first and last timestamps, and each file's first error burst. After a file's burst is
 * settled only its lines are counted (and a large file is left there), which costs little more than reading.
 */
export async function scanLogs(targets: readonly LogTarget[], deadline: number, signal?: AbortSignal): Promise<LogScan> {
  const scan: LogScan = { files: [], unread: [], notes: [] };
  const ordered = [...targets].sort((a, b) => b.mtimeMs - a.mtimeMs || a.relative.localeCompare(b.relative));
  for (const [i, target] of ordered.entries()) {
    if (Date.now() >= deadline) {
      scan.unread = ordered.slice(i).map((t) => t.relative);
      break;
    }
    scan.files.push(await scanFile(target, deadline, scan.notes, signal));
  }
  return scan;
}

async function scanFile(target: LogTarget, deadline: number, notes: string[], signal?: AbortSignal): Promise<FileScan> {
  const result: FileScan = { file: target.relative, lines: 0, complete: false, settled: false };
  const large = (await stat(target.real)).size > COUNT_LINES_UP_TO_BYTES;
  const timestamps = new TimestampParser(target.mtimeMs);
  const detector = new ErrorBurstDetector<LogLine>();
  let lastTs: number | undefined;
  let settled = false;
  try {
    for await (const batch of readLineBatches(target.real, signal)) {
      if (settled) {
        // Only the count is left to learn: the last timestamp comes from the file's tail (see describeLogFile).
        if (large) return result;
        result.lines += batch.length;
      } else {
        for (const line of batch) {
          result.lines++;
          const parsed = timestamps.parse(line.text);
          if (parsed) {
            lastTs = parsed.ms;
            if (result.first === undefined || parsed.ms < result.first) result.first = parsed.ms;
            if (result.last === undefined || parsed.ms > result.last) result.last = parsed.ms;
          }
          const level = (parsed ? findLevelAfter(line.text, parsed.index + parsed.length) : findLevel(line.text))?.level;
          // A continuation line (a stack trace) belongs to the entry above it, which was already counted.
          if (parsed && (level === 'error' || level === 'fatal')) detector.add(parsed.ms, line);
          if (lastTs !== undefined && detector.settled(lastTs) && !target.gzip) settled = result.settled = true;
        }
      }
      if (Date.now() >= deadline) return result;
    }
    result.complete = true;
    return result;
  } catch (err) {
    if (!(err instanceof GzipBombError)) throw err;
    notes.push(`stopped reading ${target.relative}: ${err.message}`);
    return result;
  } finally {
    const burst = detector.burst;
    if (burst) {
      // Copied, so a slice of a long line does not keep the whole line alive.
      const sample = shownLine(burst.first, SAMPLE_CHARS);
      result.burst = { line: burst.first.number, ms: burst.start, count: burst.count, sample: Buffer.from(sample, 'utf8').toString('utf8') };
    }
  }
}

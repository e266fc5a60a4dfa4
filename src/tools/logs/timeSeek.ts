import type { FileHandle } from 'node:fs/promises';
import { withRegularFile } from '../regularFile';
import { countNewlines } from './newlines';
import type { LogTarget } from './targets';
import { TimestampParser } from './timestamps';

/** Where a scan for the lines at or after a time may start instead of the top of a large, time-ordered log. */
export interface SeekPoint {
  /** Byte offset of a line start; every line before it carries a time before the one sought (in a time-ordered file). */
  offset: number;
  /** 1-based number of the line at `offset`. */
  line: number;
  /** Lines before the file's first timestamped line: no time of their own or inherited. */
  untimed: number;
  /** The file's first timestamp (its earliest, in a time-ordered file) and the time of the line at `offset`. */
  firstMs: number;
  offsetMs: number;
}

/** How to read a log for the lines of a time span: from where, and until when. */
export interface TimeReadPlan {
  /** Start here instead of the top. */
  start?: SeekPoint;
  /** Stop at the first line with its own timestamp at or after this time: in a time-ordered file, nothing later is in the span. */
  stopAtMs?: number;
}

/** Smaller files are read whole: skipping part of them saves less than the probes cost. */
export const MIN_SEEK_BYTES = 32 * 1024 * 1024;
/** Bytes read at each probe: enough to pass a stack trace and reach a line with a timestamp. */
const PROBE_BYTES = 64 * 1024;
/** Probes spread evenly over the file, besides its start, to check that its times rise (about 1 MiB read in all). */
const ORDER_PROBES = 16;
/** The search stops once the skipped point and the first probe at or past the time are this close. */
const STEP_BYTES = 1024 * 1024;
/**
 * How far outside the span the reading starts and stops. Threads write a few lines out of order
 * and several writers share a file: a margin keeps those lines in the scan.
 */
export const SEEK_MARGIN_MS = 5 * 60_000;

/**
 * The part of a plain log worth reading for the lines in `span`, when the file is large and its
 * times rise through it: evenly spaced probes (64 KiB each) must show rising times. Reading then
 * starts at the last line still `SEEK_MARGIN_MS` before the span (found by binary search on the
 * probes' timestamps; its number by counting the newlines before it) and stops at the first line
 * `SEEK_MARGIN_MS` past it. An empty plan (read all) where skipping could change what a full read
 * finds, or saves nothing: a gzip file (no random access), a small file, a probe without a
 * timestamp, or probes whose times do not rise with their offsets.
 */
export async function planTimeRead(target: LogTarget, span: { start: number; end: number }, signal?: AbortSignal): Promise<TimeReadPlan> {
  if (target.gzip) return {};
  return withRegularFile(target.real, target.relative, async (handle, stats) => {
    if (stats.size < MIN_SEEK_BYTES) return {};
    const timestamps = new TimestampParser(target.mtimeMs);
    const probes: Probe[] = [];
    for (let i = 0; i <= ORDER_PROBES; i++) {
      const found = await probe(handle, Math.floor((stats.size * i) / (ORDER_PROBES + 1)), timestamps);
      if (!found || (probes.length && found.ms < probes.at(-1)!.ms)) return {};
      probes.push(found);
    }
    const start = await seekBefore(handle, probes, stats.size, span.start - SEEK_MARGIN_MS, timestamps, signal);
    return { ...(start ? { start } : {}), stopAtMs: span.end + SEEK_MARGIN_MS };
  });
}

interface Probe {
  offset: number;
  ms: number;
}

/** The last line found before `ms` by binary search between the rising probes; undefined when that is the file's start. */
async function seekBefore(handle: FileHandle, probes: readonly Probe[], size: number, ms: number, timestamps: TimestampParser, signal?: AbortSignal): Promise<SeekPoint | undefined> {
  const first = probes[0]!;
  if (first.ms >= ms) return undefined;
  let low = probes.findLast((p) => p.ms < ms)!;
  const above = probes.find((p) => p.offset > low.offset);
  let high = above?.offset ?? size;
  let highMs = above?.ms ?? Infinity;
  while (high - low.offset > STEP_BYTES) {
    if (signal?.aborted) throw signal.reason;
    const at = await probe(handle, Math.floor((low.offset + high) / 2), timestamps);
    // A probe that finds no timestamp, or one out of order with the probes around it, ends the search where it is.
    if (!at || at.ms < low.ms || at.ms > highMs) break;
    if (at.ms < ms) low = at;
    else {
      high = at.offset;
      highMs = at.ms;
    }
  }
  if (low === first) return undefined;
  return { offset: low.offset, line: (await countLinesBefore(handle, low.offset, signal)) + 1, untimed: await countLinesBefore(handle, first.offset, signal), firstMs: first.ms, offsetMs: low.ms };
}

/** The first line at or after `from` (its start, when `from` falls inside a line) that carries a timestamp. */
async function probe(handle: FileHandle, from: number, timestamps: TimestampParser): Promise<Probe | undefined> {
  const buf = Buffer.alloc(PROBE_BYTES);
  const { bytesRead } = await handle.read(buf, 0, buf.length, from);
  let start = 0;
  if (from > 0) {
    // The line `from` falls in began before it: its text here is a fragment, whose "timestamp" may be cut.
    start = buf.indexOf(0x0a) + 1;
    if (start === 0) return undefined;
  }
  for (let nl = buf.indexOf(0x0a, start); nl !== -1 && nl < bytesRead; start = nl + 1, nl = buf.indexOf(0x0a, start)) {
    const parsed = timestamps.parse(buf.toString('utf8', start, nl));
    if (parsed) return { offset: from + start, ms: parsed.ms };
  }
  return undefined;
}

async function countLinesBefore(handle: FileHandle, end: number, signal?: AbortSignal): Promise<number> {
  const buf = Buffer.allocUnsafe(STEP_BYTES);
  let lines = 0;
  for (let at = 0; at < end;) {
    if (signal?.aborted) throw signal.reason;
    const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, end - at), at);
    if (bytesRead === 0) break;
    lines += countNewlines(buf.subarray(0, bytesRead));
    at += bytesRead;
  }
  return lines;
}

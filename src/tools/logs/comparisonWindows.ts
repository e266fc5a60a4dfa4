import { withRegularFile } from '../regularFile';
import type { LogTarget } from './targets';
import { parseTimeBound } from './timeRange';
import { TimestampParser } from './timestamps';
import type { ComparisonWindows } from './windowComparison';

export interface WindowBounds {
  incident_start: string;
  incident_end?: string | undefined;
  baseline_start?: string | undefined;
  baseline_end?: string | undefined;
}

/** The windows to compare, and which bounds were defaulted (for the result to say so). */
export interface ResolvedWindows {
  windows: ComparisonWindows;
  /** Where the incident's end came from when not given: the minute after the last timestamp at the end of the logs, or now. */
  incidentEndFrom?: 'logs' | 'now';
  /** True when the baseline is the default: the incident's length, just before it. */
  defaultBaseline: boolean;
}

/** Bytes read from the end of each plain log to find where the logs end. */
const TAIL_BYTES = 64 * 1024;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The windows from the tool's bounds (ISO 8601 or relative to `now`, as the other tools take
 * them). The incident ends at incident_end, else at the minute after the last timestamp at the
 * end of the logs, else now; the baseline defaults to a window of the incident's length just before it.
 * Throws a message the model can correct from when a bound is unreadable, a window ends before it
 * starts, or the baseline overlaps the incident.
 */
export async function resolveWindows(bounds: WindowBounds, targets: readonly LogTarget[], now: number): Promise<ResolvedWindows> {
  const start = parseTimeBound('incident_start', bounds.incident_start, now);
  let end: number;
  let incidentEndFrom: ResolvedWindows['incidentEndFrom'];
  if (bounds.incident_end !== undefined) {
    end = parseTimeBound('incident_end', bounds.incident_end, now);
    if (end <= start) throw new Error(`"incident_end" (${iso(end)}) must be after "incident_start" (${iso(start)}).`);
  } else {
    const last = await lastTimestamp(targets);
    // Rounded up to the minute after the last line: windows that read like the ones a person would pick.
    end = last !== undefined ? Math.ceil((last + 1) / 60_000) * 60_000 : now;
    incidentEndFrom = last !== undefined ? 'logs' : 'now';
    if (end <= start) {
      const where = last !== undefined ? `the last timestamp at the end of the logs (${iso(last)})` : `now (${iso(now)})`;
      throw new Error(`"incident_start" (${iso(start)}) is after ${where}: give a start within the logs' time span, or an "incident_end" after it.`);
    }
  }

  const length = end - start;
  const baselineEnd = bounds.baseline_end !== undefined ? parseTimeBound('baseline_end', bounds.baseline_end, now) : undefined;
  const baselineStart = bounds.baseline_start !== undefined ? parseTimeBound('baseline_start', bounds.baseline_start, now) : undefined;
  const baseline = {
    start: baselineStart ?? (baselineEnd ?? start) - length,
    end: baselineEnd ?? (baselineStart !== undefined && baselineStart >= end ? baselineStart + length : start),
  };
  if (baseline.end <= baseline.start) throw new Error(`"baseline_end" (${iso(baseline.end)}) must be after "baseline_start" (${iso(baseline.start)}).`);
  if (baseline.start < end && baseline.end > start) {
    throw new Error(
      `The baseline (${iso(baseline.start)} → ${iso(baseline.end)}) overlaps the incident window (${iso(start)} → ${iso(end)}): ` +
        'the baseline must end at or before "incident_start" (or start at or after the incident\'s end). Omit the baseline bounds for a window of the same length just before the incident.',
    );
  }
  return {
    windows: { incident: { start, end }, baseline },
    ...(incidentEndFrom ? { incidentEndFrom } : {}),
    defaultBaseline: bounds.baseline_start === undefined && bounds.baseline_end === undefined,
  };
}

/**
 * The latest timestamp in the last 64 KiB of each plain file (a gzipped rotation is older than
 * the log it rotated from, and cannot be read from its end). Undefined when none has one there.
 */
export async function lastTimestamp(targets: readonly LogTarget[]): Promise<number | undefined> {
  let latest: number | undefined;
  for (const target of targets) {
    if (target.gzip) continue;
    const tail = await withRegularFile(target.real, target.relative, async (handle, stats) => {
      const start = Math.max(0, stats.size - TAIL_BYTES);
      const buf = Buffer.alloc(stats.size - start);
      const { bytesRead } = await handle.read(buf, 0, buf.length, start);
      return { text: buf.subarray(0, bytesRead).toString('utf8'), cut: start > 0 };
    });
    const lines = tail.text.split('\n');
    // The first line of a tail that starts mid-file is a fragment: its "timestamp" may be a cut one.
    const timestamps = new TimestampParser(target.mtimeMs);
    for (const line of tail.cut ? lines.slice(1) : lines) {
      const ms = timestamps.parse(line)?.ms;
      if (ms !== undefined && (latest === undefined || ms > latest)) latest = ms;
    }
  }
  return latest;
}

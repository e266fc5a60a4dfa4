import type { TimelineEntry, VerifiedEvidence, VerifiedTimelineEntry } from '../../shared/report';
import { TimestampParser } from '../../tools/logs/timestamps';
import { compareWithClaim, parseClaimedTime } from './claimedTime';
import { quoted } from './citing';
import type { LineFinding } from './checkLines';

/** How far an entry may be from its line: the model rounds, and an event may be logged a little after it happened. */
export const TIMELINE_SLACK_MS = 60_000;

export interface TimelineResult {
  timeline: VerifiedTimelineEntry[];
  /** One line per disagreeing entry, for the model. */
  failures: string[];
}

/**
 * Each entry that cites a log or file line which was found (verified or moved) is compared with
 * that line's own timestamp; the first line of the excerpt that has one counts. An entry citing
 * anything else, or a line without a timestamp, or an item that was not found, gets no check.
 */
export function checkTimeline(entries: readonly TimelineEntry[], evidence: readonly VerifiedEvidence[], lines: ReadonlyMap<number, LineFinding>, nowMs: number): TimelineResult {
  const failures: string[] = [];
  const timeline = entries.map((entry, i): VerifiedTimelineEntry => {
    if (entry.evidence === undefined) return entry;
    const occurrence = lines.get(entry.evidence - 1)?.occurrence;
    if (!occurrence || evidence[entry.evidence - 1]?.verification.status === 'unverified') return entry;
    const claim = parseClaimedTime(entry.time, nowMs);
    // A line without a year takes the entry's own year: only what the line states can disagree.
    const parser = new TimestampParser(claim?.day ? claim.ms : nowMs);
    const lineMs = occurrence.lines.map((l) => parser.parse(l)?.ms).find((ms) => ms !== undefined);
    if (lineMs === undefined) return entry;
    let reason: string | undefined;
    if (!claim) reason = `the time ${quoted(entry.time)} is not an ISO 8601 date and time`;
    else {
      const { within, gapMs } = compareWithClaim(claim, lineMs, TIMELINE_SLACK_MS);
      if (!within)
        reason = `the line it cites (evidence ${entry.evidence}) is at ${new Date(lineMs).toISOString()}, ${formatDuration(Math.abs(gapMs))} ${gapMs < 0 ? 'before' : 'after'} this entry's time`;
    }
    if (reason === undefined) return { ...entry, check: { status: 'agrees' } };
    failures.push(`Timeline entry ${i + 1} (${quoted(entry.time)}, citing evidence ${entry.evidence}): ${reason}. Give the entry the time of the line, or cite the evidence item it comes from.`);
    return { ...entry, check: { status: 'disagrees', reason } };
  });
  return { timeline, failures };
}

/** "45 s", "12 min", "3 h", "2 days": how far off, to the unit that matters. */
function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  if (s < 120 * 60) return `${Math.round(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}

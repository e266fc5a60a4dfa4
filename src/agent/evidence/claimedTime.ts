import { TimestampParser } from '../../tools/logs/timestamps';

/**
 * A time the model wrote (a timeline entry's, a metric value's), with the precision it was written
 * in: "2026-11-20T14:05Z" claims a minute, "2026-11-20" a day. `day: false` when it names only a
 * time of day ("14:05:01"): then only the time of day can be compared.
 */
export interface ClaimedTime {
  ms: number;
  precisionMs: number;
  day: boolean;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;
const TIME_OF_DAY = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|UTC|GMT)?$/i;

/**
 * ISO 8601 as the schema asks (a time without a zone is UTC, as the log tools read one), else any
 * timestamp format the log tools read (a year-less "Nov 20 14:05:01" takes the year of
 * `referenceMs`, the run's clock), else a bare time of day.
 */
export function parseClaimedTime(text: string, referenceMs: number = Date.now()): ClaimedTime | undefined {
  const trimmed = text.trim();
  const iso = ISO.exec(trimmed);
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0) - offsetMs(zone);
    if (Number.isNaN(ms)) return undefined;
    const precisionMs = frac ? Math.max(1, 10 ** (3 - Math.min(frac.length, 3))) : s ? SECOND : mi ? MINUTE : h ? HOUR : DAY;
    return { ms, precisionMs, day: true };
  }
  const tod = TIME_OF_DAY.exec(trimmed);
  if (tod) {
    const [, h, mi, s, frac] = tod;
    const ms = ((Number(h) * 60 + Number(mi)) * 60 + Number(s ?? 0)) * SECOND + (frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0);
    return Number(h) < 24 ? { ms, precisionMs: frac ? 1 : s ? SECOND : MINUTE, day: false } : undefined;
  }
  const parsed = new TimestampParser(referenceMs).parse(trimmed);
  // Only a timestamp that is the whole text: "deploy at 14:02" is not a time.
  if (parsed && parsed.index === 0 && parsed.length >= trimmed.replace(/\s*(Z|UTC|GMT)$/i, '').length) return { ms: parsed.ms, precisionMs: SECOND, day: true };
  return undefined;
}

function offsetMs(zone: string | undefined): number {
  const m = zone ? /^([+-])(\d{2}):?(\d{2})?$/.exec(zone) : null;
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * HOUR + Number(m[3] ?? 0) * MINUTE);
}

/**
 * `actualMs` against the claim: `gapMs`, how far it is from the claimed time (negative: before
 * it), and whether it lies within `slackMs` of the span the claim covers at its precision. A time
 * of day is compared on the clock only.
 */
export function compareWithClaim(claim: ClaimedTime, actualMs: number, slackMs: number): { within: boolean; gapMs: number } {
  let actual = actualMs;
  if (!claim.day) {
    actual = ((actualMs % DAY) + DAY) % DAY;
    // Across midnight: 23:59:50 claimed, 00:00:10 seen.
    if (actual - claim.ms > DAY / 2) actual -= DAY;
    else if (claim.ms - actual > DAY / 2) actual += DAY;
  }
  return { within: actual >= claim.ms - slackMs && actual < claim.ms + claim.precisionMs + slackMs, gapMs: actual - claim.ms };
}

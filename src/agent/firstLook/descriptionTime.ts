/**
 * The time an engineer's description says the incident started: "since 14:32", "14:32 UTC",
 * "2026-11-20T14:32:00Z", "since 3am", "20 minutes ago", "in the last hour", "yesterday at 9:15".
 * Generous in what it reads, never a wild guess: a time that could mean two things (a zone
 * abbreviation with two meanings) is reported as ambiguous, not picked; a clock time without a date
 * is placed on the day of the logs that holds it (the latest, said so, when several do); a time
 * without a zone is taken as UTC, as the log tools read timestamps, and said so.
 */

export type DescriptionTime =
  | { kind: 'none' }
  /** `note`: what was assumed (a zone, a day, the earliest of several times). */
  | { kind: 'time'; ms: number; quote: string; note?: string }
  | { kind: 'ambiguous'; quote: string; reason: string };

export interface DescriptionTimeContext {
  /** The run's clock: relative times count from it, and a clock time is never placed after it. */
  nowMs: number;
  /** Earliest and latest timestamps of the logs, from their first and last lines; a clock time is placed on a day they cover. */
  logSpan?: { start: number; end: number };
}

/** A description longer than this is read only this far: the time is said early, and the patterns stay cheap on a pasted log. */
const MAX_CHARS = 4_000;
/** Relative times further back than this are not the start of a live incident: not used. */
const MAX_BACK_MS = 31 * 86_400_000;
/** A clock time may lie this far past the logs' last line (the incident began as the logs were copied) and still be placed on their day. */
const SPAN_SLACK_MS = 3_600_000;
/** A few minutes of clock skew between the engineer's clock and the run's. */
const FUTURE_SLACK_MS = 5 * 60_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Zone abbreviations with one meaning, as UTC offsets in hours. */
const ZONES: Record<string, number> = {
  UTC: 0,
  GMT: 0,
  Z: 0,
  CET: 1,
  CEST: 2,
  EET: 2,
  EEST: 3,
  WET: 0,
  WEST: 1,
  PST: -8,
  PDT: -7,
  MST: -7,
  MDT: -6,
  EST: -5,
  EDT: -4,
  JST: 9,
  KST: 9,
  HKT: 8,
  SGT: 8,
  AEST: 10,
  AEDT: 11,
  NZST: 12,
  NZDT: 13,
};
/** Abbreviations used for more than one zone: the offset cannot be chosen for the engineer. */
const AMBIGUOUS_ZONES: Record<string, string> = {
  CST: 'US Central (UTC−6), China (UTC+8) or Cuba (UTC−5)',
  IST: 'India (UTC+5:30), Ireland (UTC+1) or Israel (UTC+2)',
  BST: 'British Summer Time (UTC+1) or Bangladesh (UTC+6)',
  AST: 'Atlantic (UTC−4) or Arabia (UTC+3)',
  CDT: 'US Central daylight (UTC−5) or Cuba daylight (UTC−4)',
};
const ZONE_WORDS = [...Object.keys(ZONES), ...Object.keys(AMBIGUOUS_ZONES)].join('|');
/** After a time: " UTC", "Z", "+02:00", " -0500" (a zone word must stand alone: "14:32 ESTIMATE" is no zone). */
const ZONE = `(?:\\s?(${ZONE_WORDS})(?![A-Za-z])|\\s?([+-])(\\d{2}):?(\\d{2})(?!\\d))?`;

const ISO = new RegExp(`(?<![\\w.:/-])(\\d{4})-(\\d{2})-(\\d{2})[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?${ZONE}`, 'g');
const CLOCK = new RegExp(`(?<![\\w.:/-])(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,]\\d{1,9})?)?(?:\\s?([ap])\\.?m\\b\\.?)?(?![\\d:]|[.,]\\d)${ZONE}`, 'gi');
const HOUR_12 = new RegExp(`(?<![\\w.:/-])(\\d{1,2})\\s?([ap])\\.?m\\b\\.?${ZONE}`, 'gi');
const NOON = /\b(midnight|noon)\b/gi;
const UNIT = '(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|[smhd])';
const AMOUNT = '(\\d{1,6}|an?|one|two|three|four|five|six|ten|fifteen|twenty|thirty|forty|fifty|half an?)';
const AGO = new RegExp(`\\b${AMOUNT}\\s?${UNIT}\\s+ago\\b`, 'gi');
/** "in the last hour", "for the past 20 minutes"; without such a preposition only with an amount ("last 20 minutes"), so "a last minute change" is no time. */
const IN_THE_LAST = new RegExp(`\\b(?:in|for|over|during|within)\\s+the\\s+(?:last|past)\\s+(?:${AMOUNT}\\s?)?${UNIT}\\b`, 'gi');
const LAST_AMOUNT = new RegExp(`\\b(?:last|past)\\s+${AMOUNT}\\s?${UNIT}\\b`, 'gi');
const DAY_WORD = /\b(yesterday|today|tonight|this morning)\b/i;

const WORD_AMOUNTS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  ten: 10,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  'half a': 0.5,
  'half an': 0.5,
};

/** One time the description mentions, before it is placed on a day. */
type Mention =
  | { kind: 'absolute'; at: number; ms: number; quote: string; zoned: boolean }
  | { kind: 'clock'; at: number; ofDayMs: number; offsetMs: number; quote: string; zoned: boolean; day?: 'today' | 'yesterday' }
  | { kind: 'ambiguous'; at: number; quote: string; reason: string }
  | { kind: 'invalid'; at: number; quote: string; reason: string };

/** The start the description states, or none; see the module comment for what is read and how. */
export function timeFromDescription(description: string, context: DescriptionTimeContext): DescriptionTime {
  const text = description.length > MAX_CHARS ? description.slice(0, MAX_CHARS) : description;
  const mentions = findMentions(text, context.nowMs);
  const ambiguous = mentions.find((m) => m.kind === 'ambiguous');
  if (ambiguous) return { kind: 'ambiguous', quote: ambiguous.quote, reason: ambiguous.reason };
  const placed: { ms: number; quote: string; notes: string[] }[] = [];
  const unusable: string[] = [];
  for (const m of mentions) {
    if (m.kind === 'invalid') unusable.push(`"${m.quote}" ${m.reason}`);
    else if (m.kind === 'absolute') placed.push({ ms: m.ms, quote: m.quote, notes: m.zoned ? [] : ['no zone given: read as UTC, like the logs'] });
    else if (m.kind === 'clock') placed.push(placeClock(m, context));
  }
  if (placed.length === 0) {
    return unusable.length ? { kind: 'ambiguous', quote: unusable[0]!.split('"')[1] ?? '', reason: unusable.join('; ') } : { kind: 'none' };
  }
  // Several times ("failing since 14:05, the deploy was at 14:02"): the earliest is where to start looking.
  placed.sort((a, b) => a.ms - b.ms);
  const chosen = placed[0]!;
  const notes = [...chosen.notes];
  const others = [...new Set(placed.slice(1).map((p) => p.quote))].filter((q) => q !== chosen.quote);
  if (others.length) notes.push(`the earliest of ${others.length + 1} times in the description (also ${others.map((q) => `"${q}"`).join(', ')})`);
  if (unusable.length) notes.push(`not used: ${unusable.join('; ')}`);
  return { kind: 'time', ms: chosen.ms, quote: chosen.quote, ...(notes.length ? { note: notes.join('; ') } : {}) };
}

function findMentions(text: string, nowMs: number): Mention[] {
  const mentions: Mention[] = [];
  /** Character ranges already read, so "2026-11-20 14:32" is not read again as the clock time "14:32". */
  const taken: [number, number][] = [];
  const free = (m: RegExpExecArray) => !taken.some(([s, e]) => m.index < e && m.index + m[0].length > s);
  const take = (m: RegExpExecArray) => taken.push([m.index, m.index + m[0].length]);
  const dayWordNear = (m: RegExpExecArray) => DAY_WORD.exec(text.slice(Math.max(0, m.index - 16), m.index + m[0].length + 16))?.[1]?.toLowerCase();

  for (const m of text.matchAll(ISO)) {
    take(m);
    const zone = zoneOf(m[8], m[9], m[10], m[11]);
    if ('ambiguous' in zone) {
      mentions.push({ kind: 'ambiguous', at: m.index, quote: m[0].trim(), reason: `the zone ${m[8]} could be ${zone.ambiguous}` });
      continue;
    }
    const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
    const fraction = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
    const ms = Date.UTC(y, mo - 1, d, h, mi, s, fraction) - zone.offsetMs;
    if (!validClock(h, mi, s) || mo < 1 || mo > 12 || d < 1 || d > 31 || new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) {
      mentions.push({ kind: 'invalid', at: m.index, quote: m[0].trim(), reason: 'is not a valid date and time' });
    } else {
      mentions.push({ kind: 'absolute', at: m.index, ms, quote: m[0].trim(), zoned: zone.given });
    }
  }
  for (const m of text.matchAll(CLOCK)) {
    if (!free(m)) continue;
    take(m);
    clockMention(m, Number(m[1]), Number(m[2]), Number(m[3] ?? 0), m[4], [m[5], m[6], m[7], m[8]], dayWordNear(m), mentions);
  }
  for (const m of text.matchAll(HOUR_12)) {
    if (!free(m)) continue;
    take(m);
    clockMention(m, Number(m[1]), 0, 0, m[2], [m[3], m[4], m[5], m[6]], dayWordNear(m), mentions);
  }
  for (const m of text.matchAll(NOON)) {
    if (!free(m)) continue;
    take(m);
    const hour = m[1]!.toLowerCase() === 'noon' ? 12 : 0;
    mentions.push({ kind: 'clock', at: m.index, ofDayMs: hour * HOUR, offsetMs: 0, quote: m[0], zoned: false, ...dayOf(dayWordNear(m)) });
  }
  for (const regex of [AGO, IN_THE_LAST, LAST_AMOUNT]) {
    for (const m of text.matchAll(regex)) {
      if (!free(m)) continue;
      take(m);
      const amount = m[1] === undefined ? 1 : (WORD_AMOUNTS[m[1].toLowerCase().replace(/\s+/g, ' ')] ?? Number(m[1]));
      const back = amount * unitMs(m[2]!);
      if (!(back > 0) || back > MAX_BACK_MS) mentions.push({ kind: 'invalid', at: m.index, quote: m[0], reason: 'is further back than a month' });
      else mentions.push({ kind: 'absolute', at: m.index, ms: nowMs - back, quote: m[0], zoned: true });
    }
  }
  return mentions.sort((a, b) => a.at - b.at);
}

function clockMention(
  m: RegExpExecArray,
  hour: number,
  minute: number,
  second: number,
  half: string | undefined,
  zoneParts: (string | undefined)[],
  dayWord: string | undefined,
  out: Mention[],
): void {
  const quote = m[0].trim();
  const zone = zoneOf(...(zoneParts as [string | undefined, string | undefined, string | undefined, string | undefined]));
  if ('ambiguous' in zone) {
    out.push({ kind: 'ambiguous', at: m.index, quote, reason: `the zone ${zoneParts[0]} could be ${zone.ambiguous}` });
    return;
  }
  if (half) {
    // 12-hour clock: 12am is midnight, 12pm is noon; "14:00pm" is not a time.
    if (hour < 1 || hour > 12) {
      out.push({ kind: 'invalid', at: m.index, quote, reason: 'is not a valid 12-hour time' });
      return;
    }
    hour = (hour % 12) + (half.toLowerCase() === 'p' ? 12 : 0);
  }
  if (!validClock(hour, minute, second)) {
    out.push({ kind: 'invalid', at: m.index, quote, reason: 'is not a valid time of day' });
    return;
  }
  out.push({ kind: 'clock', at: m.index, ofDayMs: ((hour * 60 + minute) * 60 + second) * 1000, offsetMs: zone.offsetMs, quote, zoned: zone.given, ...dayOf(dayWord) });
}

const dayOf = (word: string | undefined): { day?: 'today' | 'yesterday' } => (word === 'yesterday' ? { day: 'yesterday' } : word ? { day: 'today' } : {});

const validClock = (h: number, m: number, s: number) => h >= 0 && h <= 23 && m >= 0 && m <= 59 && s >= 0 && s <= 59;

function zoneOf(word: string | undefined, sign: string | undefined, hh: string | undefined, mm: string | undefined): { offsetMs: number; given: boolean } | { ambiguous: string } {
  if (word) {
    const upper = word.toUpperCase();
    if (AMBIGUOUS_ZONES[upper]) return { ambiguous: AMBIGUOUS_ZONES[upper] };
    return { offsetMs: (ZONES[upper] ?? 0) * HOUR, given: true };
  }
  if (sign && hh && mm) return { offsetMs: (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm)) * MINUTE, given: true };
  return { offsetMs: 0, given: false };
}

function unitMs(unit: string): number {
  const u = unit.toLowerCase();
  if (u.startsWith('s')) return 1000;
  if (u.startsWith('m')) return MINUTE;
  if (u.startsWith('h')) return HOUR;
  return DAY;
}

/**
 * A clock time on a day: the days from the logs' first to the run's clock, at that time, not after
 * now; of those, the ones the logs cover. One covered: that one. Several: the latest, said so.
 * None covered, or no logs to go by: the latest not after now, and the note says the logs do not
 * cover it. "yesterday"/"today" pick the day from the run's clock.
 */
function placeClock(m: Extract<Mention, { kind: 'clock' }>, context: DescriptionTimeContext): { ms: number; quote: string; notes: string[] } {
  const notes = m.zoned ? [] : ['no zone given: read as UTC, like the logs'];
  const at = (dayStart: number) => dayStart + m.ofDayMs - m.offsetMs;
  const today = Math.floor(context.nowMs / DAY) * DAY;
  if (m.day) {
    const ms = at(m.day === 'yesterday' ? today - DAY : today);
    return { ms, quote: m.quote, notes };
  }
  const span = context.logSpan;
  // The days the logs cover (a day either side), at most a year of them, and yesterday and today by the run's clock.
  const days = new Set<number>([today - DAY, today]);
  if (span) {
    const last = Math.floor(span.end / DAY) * DAY + DAY;
    for (let d = Math.max(Math.floor(span.start / DAY) * DAY - DAY, last - 366 * DAY); d <= last; d += DAY) days.add(d);
  }
  const candidates = [...days]
    .sort((a, b) => a - b)
    .map(at)
    .filter((ms) => ms <= context.nowMs + FUTURE_SLACK_MS);
  const covered = span ? candidates.filter((ms) => ms >= span.start - SPAN_SLACK_MS && ms <= span.end + SPAN_SLACK_MS) : [];
  if (covered.length > 1) notes.push(`the logs cover ${covered.length} days with that time: took the latest`);
  if (covered.length) return { ms: covered.at(-1)!, quote: m.quote, notes };
  if (span) notes.push('the logs do not cover that time on any day: took its latest occurrence before now');
  return { ms: candidates.at(-1) ?? at(today - DAY), quote: m.quote, notes };
}

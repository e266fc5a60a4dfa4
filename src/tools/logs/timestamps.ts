const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };
const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const DAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
/** Timestamps sit near the start of a line; JSON fields may come a little later. */
const SCAN_CHARS = 512;
const EPOCH_MIN_S = 946_684_800; // 2000-01-01
const EPOCH_MAX_S = 2_524_608_000; // 2050-01-01

interface Parts {
  year?: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms?: number;
  offsetMs?: number;
}

interface Format {
  name: string;
  re: RegExp;
  parts(m: RegExpExecArray): Parts | number | undefined;
}

const n = (s: string | undefined) => (s === undefined ? 0 : Number(s));
const frac = (s: string | undefined) => (s ? Number(s.slice(0, 3).padEnd(3, '0')) : 0);
const month = (s: string | undefined) => MONTHS[(s ?? '').toLowerCase()] ?? -1;

/** Every format seen in the project's real logs and in common servers, each yielding UTC parts. */
const FORMATS: Format[] = [
  {
    // ISO 8601 / RFC 3339, Log4j, Hadoop, Zookeeper, OpenStack, Windows CBS: 2026-11-20T14:05:01.123+01:00, 2026-11-20 14:05:01,123
    name: 'iso',
    re: /(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:\s?(Z|[+-]\d{2}:?\d{2})(?![\d:]))?/,
    parts: (m) => ({ year: n(m[1]), month: n(m[2]) - 1, day: n(m[3]), hour: n(m[4]), minute: n(m[5]), second: n(m[6]), ms: frac(m[7]), offsetMs: zoneOffsetMs(m[8]) }),
  },
  {
    // BGL: 2005-06-03-15.42.50.675872
    name: 'bgl',
    re: /(\d{4})-(\d{2})-(\d{2})-(\d{2})\.(\d{2})\.(\d{2})(?:\.(\d{1,6}))?/,
    parts: (m) => ({ year: n(m[1]), month: n(m[2]) - 1, day: n(m[3]), hour: n(m[4]), minute: n(m[5]), second: n(m[6]), ms: frac(m[7]) }),
  },
  {
    // NGINX error log: 2026/11/20 14:05:01
    name: 'ymd-slash',
    re: /(\d{4})\/(\d{2})\/(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?/,
    parts: (m) => ({ year: n(m[1]), month: n(m[2]) - 1, day: n(m[3]), hour: n(m[4]), minute: n(m[5]), second: n(m[6]), ms: frac(m[7]) }),
  },
  {
    // Spark: 17/06/09 20:10:40 (yy/MM/dd)
    name: 'spark',
    re: /^(\d{2})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})/,
    parts: (m) => ({ year: 2000 + n(m[1]), month: n(m[2]) - 1, day: n(m[3]), hour: n(m[4]), minute: n(m[5]), second: n(m[6]) }),
  },
  {
    // HDFS: 081109 203615 (yyMMdd HHmmss)
    name: 'hdfs',
    re: /^(\d{2})(\d{2})(\d{2}) (\d{2})(\d{2})(\d{2})(?!\d)/,
    parts: (m) => ({ year: 2000 + n(m[1]), month: n(m[2]) - 1, day: n(m[3]), hour: n(m[4]), minute: n(m[5]), second: n(m[6]) }),
  },
  {
    // Apache/NGINX access logs: [20/Nov/2026:14:05:01 +0000]
    name: 'clf',
    re: new RegExp(`(\\d{2})\\/${MON}\\/(\\d{4}):(\\d{2}):(\\d{2}):(\\d{2})(?:\\s([+-]\\d{4}))?`, 'i'),
    parts: (m) => ({ year: n(m[3]), month: month(m[2]), day: n(m[1]), hour: n(m[4]), minute: n(m[5]), second: n(m[6]), offsetMs: zoneOffsetMs(m[7]) }),
  },
  {
    // Apache error log: [Sun Dec 04 04:47:44 2005], [Fri Sep 09 10:42:29.902022 2011]
    name: 'apache-error',
    re: new RegExp(`${DAY} ${MON} +(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))? (\\d{4})`, 'i'),
    parts: (m) => ({ year: n(m[7]), month: month(m[1]), day: n(m[2]), hour: n(m[3]), minute: n(m[4]), second: n(m[5]), ms: frac(m[6]) }),
  },
  {
    // RFC 2822 / HTTP dates: Fri, 20 Nov 2026 14:05:01 GMT
    name: 'rfc2822',
    re: new RegExp(`(\\d{1,2}) ${MON} (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\s(GMT|UTC|[+-]\\d{4}))?`, 'i'),
    parts: (m) => ({ year: n(m[3]), month: month(m[2]), day: n(m[1]), hour: n(m[4]), minute: n(m[5]), second: n(m[6]), offsetMs: zoneOffsetMs(m[7]) }),
  },
  {
    // syslog (RFC 3164), Linux, Mac, OpenSSH: Jun 14 15:16:01, Jul  1 09:00:55 (no year)
    name: 'syslog',
    re: new RegExp(`${MON} +(\\d{1,2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,6}))?(?!\\d)`, 'i'),
    parts: (m) => ({ month: month(m[1]), day: n(m[2]), hour: n(m[3]), minute: n(m[4]), second: n(m[5]), ms: frac(m[6]) }),
  },
  {
    // Android logcat: 03-17 16:13:38.811 (no year)
    name: 'logcat',
    re: /^(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})/,
    parts: (m) => ({ month: n(m[1]) - 1, day: n(m[2]), hour: n(m[3]), minute: n(m[4]), second: n(m[5]), ms: frac(m[6]) }),
  },
  {
    // glog / klog: I1120 14:05:01.123456 (no year)
    name: 'glog',
    re: /^[IWEF](\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{1,6})/,
    parts: (m) => ({ month: n(m[1]) - 1, day: n(m[2]), hour: n(m[3]), minute: n(m[4]), second: n(m[5]), ms: frac(m[6]) }),
  },
  {
    // HealthApp: 20171223-22:15:29:606, unpadded as in 20171224-0:0:0:215
    name: 'healthapp',
    re: /^(\d{4})(\d{2})(\d{2})-(\d{1,2}):(\d{1,2}):(\d{1,2}):(\d{1,3})/,
    parts: (m) => ({ year: n(m[1]), month: n(m[2]) - 1, day: n(m[3]), hour: n(m[4]), minute: n(m[5]), second: n(m[6]), ms: n(m[7]) }),
  },
  {
    // Proxifier: [10.30 16:49:06] (MM.dd, no year)
    name: 'proxifier',
    re: /^\[(\d{2})\.(\d{2}) (\d{2}):(\d{2}):(\d{2})\]/,
    parts: (m) => ({ month: n(m[1]) - 1, day: n(m[2]), hour: n(m[3]), minute: n(m[4]), second: n(m[5]) }),
  },
  {
    // Epoch seconds or milliseconds in a JSON field: "ts":1700000000, "@t":1700000000123
    name: 'json-epoch',
    re: /"(?:ts|time|timestamp|@t|@timestamp|date|datetime|t|_time)"\s*:\s*"?(\d{10}(?:\.\d{1,9})?|\d{13})(?![\d.])/,
    parts: (m) => epochMs(m[1]!),
  },
  {
    // A bare epoch-seconds token, as in BGL, Thunderbird and HPC: "- 1117838570 2005.06.03 ..."
    name: 'epoch-token',
    re: /(?:^|[\s[])(\d{10}|\d{13})(?=[\s\]]|$)/,
    parts: (m) => epochMs(m[1]!),
  },
];

const ISO = FORMATS[0]!;

function epochMs(text: string): number | undefined {
  const value = Number(text);
  const ms = text.length === 13 ? value : value * 1000;
  return ms >= EPOCH_MIN_S * 1000 && ms < EPOCH_MAX_S * 1000 ? Math.round(ms) : undefined;
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z' || /^(GMT|UTC)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
/** A character of the regex class \s (every one is a single UTF-16 unit). */
const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(String.fromCharCode(c)));

/** Two decimal digits at `i` as a number, or -1. */
function twoDigits(line: string, i: number): number {
  const a = line.charCodeAt(i) - 48;
  const b = line.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** True when the ISO regex's lookahead after a zone, (?![\d:]), holds at `i`. */
const zoneEndsAt = (line: string, i: number) => {
  const c = line.charCodeAt(i);
  return !isDigit(c) && c !== 58;
};

/**
 * The length of the zone the ISO regex reads at `i` ("Z", "+01:00" or "-0500", not followed by
 * a digit or a colon), or 0 when it reads none there; its offset in minutes goes to `offset[0]`.
 */
function zoneAt(line: string, i: number, offset: Int32Array): number {
  const c = line.charCodeAt(i);
  if (c === 90 /* Z */) {
    offset[0] = 0;
    return zoneEndsAt(line, i + 1) ? 1 : 0;
  }
  if (c !== 43 && c !== 45) return 0;
  const hours = twoDigits(line, i + 1);
  if (hours < 0) return 0;
  // With a colon the regex cannot fall back to reading the zone without one: a digit must follow "+hh".
  const colon = line.charCodeAt(i + 3) === 58 ? 1 : 0;
  const minutes = twoDigits(line, i + 3 + colon);
  if (minutes < 0 || !zoneEndsAt(line, i + 5 + colon)) return 0;
  offset[0] = (c === 45 ? -1 : 1) * (hours * 60 + minutes);
  return 5 + colon;
}

export interface ParsedTimestamp {
  ms: number;
  /** Where the timestamp text starts and how long it is (to strip it from a message). */
  index: number;
  length: number;
}

/** How far into a line the ISO shortcut looks for the timestamp's first digit (a bracket, a JSON key). */
const ISO_PREFIX_CHARS = 64;

export interface TimestampParserOptions {
  /**
   * Whether the shortcut for ISO 8601 lines is taken. It gives exactly what the regexes give
   * (tests check it against them); off only to have the regexes alone to compare with.
   */
  shortcuts?: boolean;
}

/**
 * Parses line timestamps to UTC epoch milliseconds. A file keeps one format, so the format that
 * matched last is tried first; otherwise every format is tried and the earliest match in the
 * line wins (BGL's leading epoch before its local date, say). Formats without a year take the
 * reference time's year, or the year before when that would put the line in the future.
 * Times without a zone are taken as UTC.
 */
export class TimestampParser {
  private last: Format | undefined;
  private readonly shortcuts: boolean;
  /** The calendar day of the last ISO shortcut, as yyyymmdd, and its start in epoch ms. */
  private dayKey = -1;
  private dayMs = 0;
  /** Where zoneAt leaves the offset it read, in minutes. */
  private readonly zone = new Int32Array(1);

  constructor(
    private readonly referenceMs: number = Date.now(),
    options: TimestampParserOptions = {},
  ) {
    this.shortcuts = options.shortcuts ?? true;
  }

  parse(line: string): ParsedTimestamp | undefined {
    if (this.last === ISO && this.shortcuts) {
      const fast = this.isoShortcut(line);
      if (fast) return fast;
    }
    const text = line.length > SCAN_CHARS ? line.slice(0, SCAN_CHARS) : line;
    if (this.last) {
      const hit = this.tryFormat(this.last, text);
      if (hit) return hit;
    }
    let best: ParsedTimestamp | undefined;
    let bestFormat: Format | undefined;
    for (const format of FORMATS) {
      if (format === this.last) continue;
      const hit = this.tryFormat(format, text);
      if (hit && (!best || hit.index < best.index || (hit.index === best.index && hit.length > best.length))) {
        best = hit;
        bestFormat = format;
      }
    }
    if (bestFormat) this.last = bestFormat;
    return best;
  }

  /**
   * What `tryFormat(ISO, line)` gives, read by character codes, for the layouts of nearly every
   * ISO log: "2026-11-20T14:05:01.123Z ...", "[2026-11-20 14:05:01,123 +0100] ...", a JSON line
   * whose first digits are its time. The ISO regex's match starts with a digit, so when no digit
   * comes before the first one here, its first match can only start there; from there each of its
   * parts (fraction, zone, and the lookahead after the zone) is followed exactly. Whatever this
   * does not decide for sure (a one-digit hour, an unusual space before a zone, an earlier digit)
   * returns undefined, and the regexes decide. The day's start is reused from the line before.
   */
  private isoShortcut(line: string): ParsedTimestamp | undefined {
    const length = line.length;
    const scan = length < ISO_PREFIX_CHARS ? length : ISO_PREFIX_CHARS;
    let p = 0;
    while (p < scan && !isDigit(line.charCodeAt(p))) p++;
    if (p + 19 > length) return undefined;
    const century = twoDigits(line, p);
    const yy = twoDigits(line, p + 2);
    const month = twoDigits(line, p + 5);
    const dayOfMonth = twoDigits(line, p + 8);
    const hour = twoDigits(line, p + 11);
    const minute = twoDigits(line, p + 14);
    const second = twoDigits(line, p + 17);
    const sep = line.charCodeAt(p + 10);
    if (
      century < 0 ||
      yy < 0 ||
      line.charCodeAt(p + 4) !== 45 ||
      line.charCodeAt(p + 7) !== 45 ||
      (sep !== 84 /* T */ && sep !== 32) ||
      line.charCodeAt(p + 13) !== 58 ||
      line.charCodeAt(p + 16) !== 58
    )
      return undefined;
    // The same bounds as toMs (a missing digit reads -1): outside them the regexes' answer is not this match.
    if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return undefined;
    let end = p + 19;
    let ms = 0;
    const mark = line.charCodeAt(end);
    if ((mark === 46 || mark === 44) && isDigit(line.charCodeAt(end + 1))) {
      let digits = 0;
      for (end++; digits < 9 && isDigit(line.charCodeAt(end)); end++, digits++) if (digits < 3) ms = ms * 10 + line.charCodeAt(end) - 48;
      if (digits < 3) ms *= digits === 1 ? 100 : 10;
    }
    // The optional zone, \s?(Z|[+-]\d{2}:?\d{2})(?![\d:]): right there, or after one white space.
    let zone = zoneAt(line, end, this.zone);
    if (zone === 0 && isSpace(line.charCodeAt(end))) {
      zone = zoneAt(line, end + 1, this.zone);
      if (zone > 0) zone++;
    }
    const offsetMinutes = zone > 0 ? this.zone[0]! : 0;
    end += zone;
    return this.isoFields((century * 100 + yy) * 10_000 + month * 100 + dayOfMonth, ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + ms, p, end - p);
  }

  /**
   * Whether the next line's timestamp would be tried by the ISO shortcut first. Only then may a
   * timestamp read by the lineFields kernel (the shortcut on bytes) stand for what `parse` gives.
   */
  takesIsoShortcut(): boolean {
    return this.last === ISO && this.shortcuts;
  }

  /**
   * The timestamp the ISO shortcut read: its day as yyyymmdd, the milliseconds into that day with
   * the zone applied (negative or past a day when the zone moves it), and where it is in the line.
   * The day's start is reused from the line before. Written into `into` when given (a hot loop's
   * one object), else into a new object.
   */
  isoFields(day: number, msOfDay: number, index: number, length: number, into?: ParsedTimestamp): ParsedTimestamp {
    if (day !== this.dayKey) {
      this.dayKey = day;
      this.dayMs = Date.UTC(Math.floor(day / 10_000), (Math.floor(day / 100) % 100) - 1, day % 100);
    }
    if (!into) return { ms: this.dayMs + msOfDay, index, length };
    into.ms = this.dayMs + msOfDay;
    into.index = index;
    into.length = length;
    return into;
  }

  private tryFormat(format: Format, text: string): ParsedTimestamp | undefined {
    const m = format.re.exec(text);
    if (!m) return undefined;
    const parts = format.parts(m);
    if (parts === undefined) return undefined;
    const ms = typeof parts === 'number' ? parts : this.toMs(parts);
    if (ms === undefined) return undefined;
    const lead = m[0].length - m[0].trimStart().length;
    return { ms, index: m.index + lead, length: m[0].length - lead };
  }

  private toMs(p: Parts): number | undefined {
    if (p.month < 0 || p.month > 11 || p.day < 1 || p.day > 31 || p.hour > 23 || p.minute > 59 || p.second > 60) return undefined;
    const at = (year: number) => Date.UTC(year, p.month, p.day, p.hour, p.minute, p.second, p.ms ?? 0) - (p.offsetMs ?? 0);
    if (p.year !== undefined) return at(p.year);
    const refYear = new Date(this.referenceMs).getUTCFullYear();
    const guess = at(refYear);
    return guess > this.referenceMs + 2 * 86_400_000 ? at(refYear - 1) : guess;
  }
}

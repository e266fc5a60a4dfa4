const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };

// 2026-11-20T14:05:01.123Z, 2026-11-20 14:05:01,123 +0100
const ISO = /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}:?\d{2})?/;
// [20/Nov/2026:14:05:01 +0000] (Apache/NGINX access logs)
const CLF = /(\d{2})\/([A-Za-z]{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})\s([+-]\d{4})/;

/**
 * The first timestamp in a log line, as epoch milliseconds (UTC), or undefined.
 * Timestamps without a zone are taken as UTC, which is what servers usually log in.
 */
export function parseTimestamp(line: string): number | undefined {
  const iso = ISO.exec(line);
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
    return Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, ms) - zoneOffsetMs(zone);
  }
  const clf = CLF.exec(line);
  if (clf) {
    const [, d, mon, y, h, mi, s, zone] = clf;
    const month = MONTHS[mon!.toLowerCase()];
    if (month === undefined) return undefined;
    return Date.UTC(+y!, month, +d!, +h!, +mi!, +s!) - zoneOffsetMs(zone);
  }
  return undefined;
}

function zoneOffsetMs(zone: string | undefined): number {
  if (!zone || zone === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/**
 * Token classes for template mining: the variable parts of a message (numbers, ids, hex, IPs,
 * UUIDs, paths, dates, quantities with their units) become one wildcard each.
 */

export const WILDCARD = '<*>';

// Order matters: specific shapes first, then anything with a digit in it.
const MASKS: RegExp[] = [
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, // UUID
  /(?<![\w.-])\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?(?![\w.-])/g, // IPv4[:port], not the digits inside a host name
  /\b[\w-]+(?:\.[\w-]+)+:\d{1,5}\b/g, // host:port
  /\b0x[0-9a-f]+\b/gi, // hex literal
  /(?:\/[\w.@%+-]+){2,}\/?/g, // paths
  /(?<![\w-])(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, // long hex ids, not the tail of a longer token (blk_-1727…)
  // any token with a digit: numbers, ids, hosts, versions; not an upper-case name with a short suffix (SOCKS5, HTTP2, SHA256)
  /(?<=^|[\s=:,([])(?![A-Z]{2,}\d{1,3}(?=$|[\s=:,()[\]]))[^\s=:,()[\]]*\d[^\s=:,()[\]]*/g,
];

// Dates and times written inside a message ("at Fri Jun 17 07:07:00 2005", "lifetime 00:01") are one value, not four.
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*';
const DATE_TIME = new RegExp(`\\b(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\\s+)?${MONTH}\\s+\\d{1,2},?(?:\\s+\\d{4})?\\s+\\d{1,2}:\\d{2}(?::\\d{2}(?:[.,]\\d+)?)?(?:\\s+\\d{4}\\b)?`, 'g');
const CLOCK = /(?<![\w:])\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?![\w:])/g;

// A quantity's abbreviated unit belongs to the quantity, and so does the same quantity restated in another unit:
// "451 bytes", "<1 sec", "18846 bytes (18.4 KB)" are one parameter each. Spelled-out units ("over 5 seconds") stay words.
const UNIT_NAME = String.raw`(?:bytes|[KMGT]i?B|[kmgt]b|B|ms|us|ns|sec|secs|s|min|mins|h|%)`;
const UNIT = new RegExp(String.raw`<\*>\s*${UNIT_NAME}(?:\s*\(<\*>\s*${UNIT_NAME}\))?(?![\w<])`, 'g');
// A run of parameters joined by punctuation is one parameter: "10.0.0.1,10.0.0.2" and "a:1:2" vary in length from line to line.
const RUN = /<\*>(?:(?:\s*[,;/|+]\s*|[:-])<\*>)+/g;

/** Masks the variable parts of a message and splits it into tokens. */
export function tokenize(message: string): string[] {
  let text = message.replace(DATE_TIME, WILDCARD).replace(CLOCK, WILDCARD);
  for (const re of MASKS) text = text.replace(re, WILDCARD);
  text = text.replace(UNIT, WILDCARD).replace(RUN, WILDCARD);
  return text.split(/\s+/).filter(Boolean);
}

/**
 * Characters that end a stretch for the skeleton: those that end a token for `tokenize`'s digit
 * rule (whitespace = : , ( ) [ ]) and those that `messageOf` cuts a header at (| " ; and the like):
 * a stretch that holds a digit must never hide a word on either side of such a character.
 */
const SKELETON_DELIMITERS = new Uint8Array(128);
for (const c of ' \t=:,()[]|"\';{}<>/@#&?!') SKELETON_DELIMITERS[c.charCodeAt(0)] = 1;

/**
 * A 53-bit hash of a text's skeleton from `start`: each stretch between delimiters counts as one
 * marker when it holds a digit, as `tokenize` turns it into one wildcard; so two texts that
 * differ only in such stretches (numbers, hex ids, hosts) hash alike. Two independent 32-bit
 * hashes make a collision between the cached skeletons of one file vanishingly unlikely. One
 * pass over char codes, no string built: this runs on every line of a log.
 */
export function skeletonHash(text: string, start: number, seed: number): number {
  let h1 = 0x811c9dc5 ^ seed;
  let h2 = 0x9747b28c;
  // The stretch's own hash: one multiply per character, mixed into both line hashes at its end.
  let t = 0;
  let digit = false;
  for (let i = start, n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && SKELETON_DELIMITERS[c] === 1) {
      const v = (digit ? 1 : t) ^ (c << 24);
      h1 = Math.imul(h1 ^ v, 0x01000193);
      h2 = Math.imul(h2 ^ v, 0x5bd1e995) ^ (h2 >>> 15);
      t = 0;
      digit = false;
    } else if (c >= 48 && c <= 57) digit = true;
    else t = (Math.imul(t, 31) + c) | 0;
  }
  const v = digit ? 1 : t;
  h1 = Math.imul(h1 ^ v, 0x01000193);
  h2 = Math.imul(h2 ^ v, 0x5bd1e995) ^ (h2 >>> 15);
  return (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff); // 32 + 21 bits
}

/**
 * Token classes for template mining: the variable parts of a message (numbers, ids, hex, IPs,
 * UUIDs, paths, dates, quantities with their units) become one wildcard each.
 */

export const WILDCARD = '<*>';

/**
 * Characters that end a token for the value rule: a stretch between two of them that holds a
 * digit is a value ("42", "10.0.0.1", "blk_-1727", "a1b2c3d4", "/var/app1.log"), whatever else
 * it holds, unless it is an upper-case name with a short number (SOCKS5, HTTP2, SHA256).
 */
const DELIMITERS = new Uint8Array(128);
for (const c of ' \t\n\r\f\v=:,()[]') DELIMITERS[c.charCodeAt(0)] = 1;
const isDelimiter = (c: number) => c < 128 && DELIMITERS[c] === 1;

/**
 * Whether text[from, to) is an upper-case name with a short number: [A-Z]{2,}\d{1,3}. Such a
 * stretch is a constant the program wrote, so it is kept, digits and all.
 */
function isNumberedName(text: string, from: number, to: number): boolean {
  let i = from;
  while (i < to && text.charCodeAt(i) >= 65 && text.charCodeAt(i) <= 90) i++;
  const digits = to - i;
  if (i - from < 2 || digits < 1 || digits > 3) return false;
  for (; i < to; i++) if (text.charCodeAt(i) < 48 || text.charCodeAt(i) > 57) return false;
  return true;
}

/**
 * The first step of masking: every stretch between delimiters that holds a digit becomes one
 * wildcard (numbered names stay). Everything `tokenize` does after this step reads only its
 * output, and `skeletonHash` hashes exactly this output, so two messages with one skeleton
 * always tokenize alike: the skeleton cache can never change a result.
 */
export function maskValues(text: string): string {
  let out = '';
  let from = 0; // start of the text not yet copied to out
  let stretch = 0;
  let digit = false;
  for (let i = 0, n = text.length; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : 32;
    if (isDelimiter(c)) {
      if (digit && !isNumberedName(text, stretch, i)) {
        out += text.slice(from, stretch) + WILDCARD;
        from = i;
      }
      stretch = i + 1;
      digit = false;
    } else if (c >= 48 && c <= 57) digit = true;
  }
  return from ? out + text.slice(from) : text;
}

// After maskValues no digit is left but in numbered names; what follows joins wildcards and the words around them.
// Dates written inside a message ("at Fri Jun 17 07:07:00 2005" became "at Fri Jun <*> <*>:<*>:<*> <*>") are one value.
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*';
const DATE_TIME = new RegExp(String.raw`\b(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?${MONTH}\s+<\*>,?(?:\s+<\*>)?\s+<\*>:<\*>(?::<\*>)?(?:\s+<\*>(?![^\s,;]))?`, 'g');
const MASKS: RegExp[] = [
  /\b[\w-]+(?:\.[\w-]+)+:<\*>(?![^\s,;)\]])/g, // host:port
  /(?:\/[\w.@%+*<>-]+){2,}\/?/g, // paths, with or without values in them
];

// A quantity's abbreviated unit belongs to the quantity, and so does the same quantity restated in another unit:
// "451 bytes", "<1 sec", "18846 bytes (18.4 KB)" are one parameter each. Spelled-out units ("over 5 seconds") stay words.
const UNIT_NAME = String.raw`(?:bytes|[KMGT]i?B|[kmgt]b|B|ms|us|ns|sec|secs|s|min|mins|h|%)`;
const UNIT = new RegExp(String.raw`<\*>\s*${UNIT_NAME}(?:\s*\(<\*>\s*${UNIT_NAME}\))?(?![\w<])`, 'g');
// A run of parameters joined by punctuation is one parameter: "10.0.0.1,10.0.0.2" and "a:1:2" vary in length from line to line.
const RUN = /<\*>(?:(?:\s*[,;/|+]\s*|[:-])<\*>)+/g;

/** Masks the variable parts of a message and splits it into tokens. */
export function tokenize(message: string): string[] {
  let text = maskValues(message).replace(DATE_TIME, WILDCARD);
  for (const re of MASKS) text = text.replace(re, WILDCARD);
  text = text.replace(UNIT, WILDCARD).replace(RUN, WILDCARD);
  return text.split(/\s+/).filter(Boolean);
}

/** Where each lane's hash of a stretch starts (lineFields.wat starts there too). */
const STRETCH_BASIS_1 = 0x9e3779b9;
const STRETCH_BASIS_2 = 0x811c9dc5;

/**
 * A 53-bit hash of `maskValues(text.slice(start))`, computed without building it: each stretch
 * between delimiters is hashed as its characters, or as one marker where maskValues makes it a
 * wildcard. Two lanes, each with its own stretch hash (xor-multiply with unrelated constants, one
 * of them FNV-1a), so that no family of stretches is equal in a lane by construction, as words of
 * "Aa"/"BB" blocks all were under the polynomial 31·t + c (Java's hashCode) that lane 1 used: the
 * key keeps only 21 bits of lane 2, and among 8,192 such words a dozen pairs shared a key.
 * Equal keys are taken to mean equal masked text, so a collision would put a message under
 * another's template. By chance, among the S distinct skeletons of a file, the odds are about
 * S² / 2^54 (1 in 45 million for 20,000); the hash is not cryptographic, and a file crafted to
 * collide (some 10^8 tries offline) can merge two templates, nothing worse.
 * One pass over char codes: this runs on every line of a log (lineFields.wat does the same on bytes).
 */
export function skeletonHash(text: string, start: number): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  // The stretch's own hashes, one per lane, mixed into the line's lanes at its end.
  let t = STRETCH_BASIS_1;
  let u = STRETCH_BASIS_2;
  // The stretch so far: 0 no digit yet; 1 two or more capitals then digits only (a numbered name, as isNumberedName); 2 a value.
  let kind = 0;
  let capitals = 0;
  let digits = 0;
  for (let i = start, n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && DELIMITERS[c] === 1) {
      // A wildcard mixes in as the marker 1, a kept stretch as its characters' hashes.
      const value = kind === 2 || (kind === 1 && digits > 3);
      h1 = Math.imul(h1 ^ (value ? 1 : t) ^ (c << 15), 0x01000193);
      h2 = Math.imul(h2 ^ (value ? 1 : u) ^ (c << 15), 0x5bd1e995) ^ (h2 >>> 15);
      t = STRETCH_BASIS_1;
      u = STRETCH_BASIS_2;
      kind = capitals = digits = 0;
      continue;
    }
    t = Math.imul(t ^ c, 0x85ebca6b);
    u = Math.imul(u ^ c, 0x01000193);
    if (c >= 48 && c <= 57) {
      if (kind === 0) kind = capitals >= 2 ? 1 : 2;
      digits++;
    } else if (kind === 1) kind = 2;
    else if (kind === 0) capitals = c >= 65 && c <= 90 && capitals >= 0 ? capitals + 1 : -1; // -1: not a name
  }
  const value = kind === 2 || (kind === 1 && digits > 3);
  h1 = Math.imul(h1 ^ (value ? 1 : t), 0x01000193);
  h2 = Math.imul(h2 ^ (value ? 1 : u), 0x5bd1e995) ^ (h2 >>> 15);
  return skeletonKey(h1, h2);
}

/** The two lanes as one number: 32 + 21 bits, exact in a double. */
export const skeletonKey = (h1: number, h2: number): number => (h1 >>> 0) * 0x200000 + ((h2 >>> 0) & 0x1fffff);

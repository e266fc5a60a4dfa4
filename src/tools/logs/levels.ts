export const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
export type Level = (typeof LEVELS)[number];

// A Map, not an object: a word such as "constructor" or "toString" must not find Object.prototype's.
const WORDS = new Map<string, Level>(
  Object.entries({
    trace: 'trace',
    trc: 'trace',
    verbose: 'trace',
    finest: 'trace',
    finer: 'trace',
    debug: 'debug',
    dbg: 'debug',
    fine: 'debug',
    info: 'info',
    inf: 'info',
    information: 'info',
    notice: 'info',
    warn: 'warn',
    warning: 'warn',
    wrn: 'warn',
    error: 'error',
    err: 'error',
    eror: 'error',
    severe: 'error',
    fatal: 'fatal',
    crit: 'fatal',
    critical: 'fatal',
    alert: 'fatal',
    emerg: 'fatal',
    emergency: 'fatal',
    panic: 'fatal',
  } satisfies Record<string, Level>),
);
const LETTERS: Record<string, Level> = { V: 'trace', T: 'trace', D: 'debug', I: 'info', W: 'warn', E: 'error', F: 'fatal', A: 'fatal' };

const JSON_LEVEL = /"(?:level|severity|lvl|@l|log\.level|levelname)"\s*:\s*"([A-Za-z]+)"/;
// A level word standing alone near the start ("INFO", "[error]", "Warning:"), any case.
const WORD_LEVEL = /(?:^|[\s[(|<:,])(trace|debug|info|notice|warn|warning|error|err|severe|fatal|crit|critical|alert|emerg|panic)(?=$|[\s\])|>:,])/i;
const LEVEL_SCAN_CHARS = 160;
// Android logcat ("01-01 12:00:00.000  123  456 E Tag: msg") and glog ("E1120 14:05:01.123 ...")
const LETTER_LEVEL = /^(?:\d\d-\d\d \d\d:\d\d:\d\d\.\d+\s+\d+\s+\d+\s+([VDIWEFA])\s|([IWEF])\d{4} \d\d:\d\d:\d\d)/;

export interface FoundLevel {
  level: Level;
  /** Where the level text ends in the line (the message usually follows), when it is in the text rather than a JSON field. */
  end?: number;
}

/** The severity of a log line, from a JSON field, a level word, or a logcat/glog letter. */
export function findLevel(line: string): FoundLevel | undefined {
  const json = line.charCodeAt(0) === 0x7b /* { */ ? JSON_LEVEL.exec(line) : null;
  if (json) {
    const level = WORDS.get(json[1]!.toLowerCase());
    return level ? { level } : undefined;
  }
  const letter = LETTER_LEVEL.exec(line);
  if (letter) return { level: LETTERS[(letter[1] ?? letter[2])!]!, end: letter.index + letter[0].length };
  const word = WORD_LEVEL.exec(line.length > LEVEL_SCAN_CHARS ? line.slice(0, LEVEL_SCAN_CHARS) : line);
  const level = word && WORDS.get(word[1]!.toLowerCase());
  return level ? { level, end: word.index + word[0].length } : undefined;
}

/**
 * A word of ASCII letters as a number, case folded: each letter a digit of base 27 (1-26), so a
 * word of up to 11 letters is exact in a double. Lets the hot path look a word up without a string.
 */
const WORD_KEY_LETTERS = 11;
const wordKey = (word: string): number => [...word.toLowerCase()].reduce((key, ch) => key * 27 + ch.charCodeAt(0) - 96, 0);
const WORD_KEYS = new Map<number, Level>([...WORDS].map(([word, level]) => [wordKey(word), level]));

/** The level a word stands for, by its key (the word read as findLevelAfter reads it, by the lineFields kernel). */
export const levelOfWordKey = (key: number): Level | undefined => WORD_KEYS.get(key);

/**
 * Most plain logs put the level right after the timestamp ("2026-... ERROR ...", "... [warn] ...").
 * Reading that one word first avoids the regexes on the hot path; anything else falls back.
 */
export function findLevelAfter(line: string, start: number): FoundLevel | undefined {
  let i = start;
  while (i < line.length && (line.charCodeAt(i) === 32 || line.charCodeAt(i) === 91 || line.charCodeAt(i) === 9)) i++;
  let j = i;
  let key = 0;
  while (j < line.length && j - i < 12) {
    const c = line.charCodeAt(j) | 0x20;
    if (c < 97 || c > 122) break;
    key = key * 27 + c - 96;
    j++;
  }
  const after = line.charCodeAt(j);
  if (j > i && j - i <= WORD_KEY_LETTERS && (Number.isNaN(after) || after === 32 || after === 93 || after === 58 || after === 9)) {
    const level = WORD_KEYS.get(key);
    if (level) return { level, end: j + (after === 93 ? 1 : 0) };
  }
  return findLevel(line);
}

export function parseLevel(line: string): Level | undefined {
  return findLevel(line)?.level;
}

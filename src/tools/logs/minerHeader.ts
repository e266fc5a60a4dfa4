/**
 * Header detection for template mining: finds where a log line's message starts, past its
 * timestamp, level, program tag, thread, logger name and request context, so that mining sees
 * the event and not the header.
 */

// A syslog-style program tag ending the header: "sshd[24200]: ", "kernel: ", "crond(pam_unix)[2915]: ". The header
// before it may hold a clock ("Nov 9 12:01:01 dn228/dn228 ntpd[7467]: "), so colons between digits do not stop it.
const TAG_END = /^(?:[^:]|(?<=\d):(?=\d)){0,160}?(?:^|\s)[\w.()/-]+(?:\[\d+\])?:\s/;

// The message field of a JSON line (structured loggers: msg, message, Serilog's @m/@mt, Docker's log).
const JSON_MESSAGE = /"(?:msg|message|@m|@mt|log|text)"\s*:\s*"((?:[^"\\]|\\.){0,2000})"/;

// What loggers put between the level and the message, in the order they put it; every part is optional:
// the rest of the level's brackets, "|"-separated fields, a [thread] in brackets, a logger name (dotted
// "org.a.B:", CamelCase "WindowManager:", "chrome.exe - ", or a padded column "CBS    "), the [request
// context] that follows a logger, and a " - " separator.
const BRACKETS = String.raw`\[(?:[^\[\]]|\[[^\[\]]*\]){0,300}\]\s+`;
const DOTTED = String.raw`[\w$][\w$-]*(?:\.[\w$-]+)+|[A-Z]?[a-z0-9]+(?:[A-Z][a-z0-9]*)+`;
const LOGGER = String.raw`(?:(?:${DOTTED})(?::\s+|\s+(?=\[)|(?:\s+\S{1,8}?)?\s+-\s+)|[A-Za-z][\w$.-]{0,40} {2,})`;
const HEADER = new RegExp(String.raw`^[\s\]),:]*(?:\|(?:[^|]{0,80}\|)+)?(?:${BRACKETS})?(?:${LOGGER}(?:${BRACKETS})?)?(?:-\s+)?`);

/**
 * The message part of a line, so that mining sees the event and not its header: a JSON line's
 * message field; otherwise the timestamp is cut out, and the header is cut at the level word or
 * a program tag when the line has one, then past a thread, logger name and request context.
 */
export function messageOf(line: string, timestamp?: { index: number; length: number }, levelEnd?: number): string {
  const start = commonMessageStart(line, timestamp, levelEnd);
  return start >= 0 ? line.slice(start) : headerMessageOf(line, timestamp, levelEnd);
}

const isWordChar = (c: number) => (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122) || c === 0x5f || c === 0x24 || c === 0x2d || c === 0x2e; // [\w$.-]
const isLower = (c: number) => c >= 97 && c <= 122;

/**
 * Where `headerMessageOf` starts the message, found by a char-code scan for the common shape
 * "<time> LEVEL [component] word ...", or -1 for any other line (which then takes the regexes).
 * Each step follows the regexes exactly: no ':' between time and level, so TAG_END cannot match and
 * the message starts past the level; HEADER then takes the run of spaces and "])," (its first part),
 * one [bracket] without brackets inside and the spaces after it, and stops at a first word
 * [A-Za-z][a-z]* that is followed by neither [\w$.-] nor two spaces — no logger alternative can match
 * such a word (DOTTED needs a '.', CamelCase a capital after a lower-case letter, the padded column
 * two spaces), nor can the "- " separator.
 */
export function commonMessageStart(line: string, timestamp?: { index: number; length: number }, levelEnd?: number): number {
  const afterTime = timestamp ? timestamp.index + timestamp.length : 0;
  const n = line.length;
  if (levelEnd === undefined || levelEnd <= afterTime || levelEnd >= n || line.charCodeAt(0) === 0x7b /* { */) return -1;
  for (let i = afterTime; i < levelEnd; i++) if (line.charCodeAt(i) === 0x3a /* : */) return -1;
  let i = levelEnd;
  // HEADER's first part, [\s\]),:]*, on ASCII only (other white space takes the regexes).
  for (let c = line.charCodeAt(i); c === 0x20 || c === 0x09 || c === 0x5d || c === 0x29 || c === 0x2c || c === 0x3a; c = line.charCodeAt(++i));
  if (line.charCodeAt(i) === 0x5b /* [ */) {
    const open = i;
    for (i++; i < n; i++) {
      const c = line.charCodeAt(i);
      if (c === 0x5d /* ] */) break;
      if (c === 0x5b || i - open > 300) return -1;
    }
    if (i >= n) return -1;
    i++;
    if (line.charCodeAt(i) !== 0x20 && line.charCodeAt(i) !== 0x09) return -1;
    while (line.charCodeAt(i) === 0x20 || line.charCodeAt(i) === 0x09) i++;
  }
  const word = i;
  const first = line.charCodeAt(i);
  if (!((first | 32) >= 97 && (first | 32) <= 122)) return -1;
  for (i++; i < n && isLower(line.charCodeAt(i)); i++);
  if (i === n) return word;
  const c = line.charCodeAt(i);
  if (isWordChar(c) || c >= 128) return -1;
  if (c === 0x20 && (i + 1 >= n || line.charCodeAt(i + 1) === 0x20 || line.charCodeAt(i + 1) === 0x09)) return -1;
  if (c === 0x09 || c === 0x0b || c === 0x0c || c === 0x0d || c === 0x0a) return -1;
  return word;
}

/** `messageOf` by the regexes, for any line. */
export function headerMessageOf(line: string, timestamp?: { index: number; length: number }, levelEnd?: number): string {
  if (line.charCodeAt(0) === 0x7b /* { */) {
    const json = JSON_MESSAGE.exec(line);
    if (json) return json[1]!;
  }
  const afterTime = timestamp ? timestamp.index + timestamp.length : 0;
  // With a level, only a tag before it matters: search just that stretch, as this runs on every line.
  const tag = TAG_END.exec(levelEnd !== undefined && levelEnd > afterTime ? line.slice(afterTime, levelEnd) : afterTime ? line.slice(afterTime) : line);
  const tagEnd = tag ? afterTime + tag[0].length : undefined;
  let start = afterTime;
  // A level word after the program tag is part of the message ("ntpd[7]: Warning: ..."); one that ends the line is no header.
  if (levelEnd !== undefined && levelEnd > afterTime && levelEnd < line.length && (tagEnd === undefined || levelEnd < tagEnd)) start = levelEnd;
  else if (tagEnd !== undefined) start = tagEnd;
  const rest = start ? line.slice(start) : line;
  const header = HEADER.exec(rest)!;
  return header[0].length ? rest.slice(header[0].length) : rest;
}

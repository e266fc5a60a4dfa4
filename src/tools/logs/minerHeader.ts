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

import type { LogLine } from './lineReader';

/** Characters of a matched line that search_logs shows; read_log, asked for exact lines, shows twice as many. */
export const MAX_SHOWN_LINE_CHARS = 400;

/** The note shownLine puts after a cut line; the evidence check reads it in an excerpt as text left out. */
export const LINE_CUT_NOTE = /\[line cut: [\d,]+ bytes\]/g;

/**
 * A log line as a tool shows it to the model: whole, or cut to `maxChars` with a note of its
 * full size in bytes, so the model knows there is more (and a line the reader already cut, past
 * MAX_LINE_BYTES, always carries the note).
 */
export function shownLine(line: LogLine, maxChars: number): string {
  if (line.text.length <= maxChars && line.fullLength === undefined) return line.text;
  const full = line.fullLength ?? Buffer.byteLength(line.text);
  return `${line.text.slice(0, maxChars)} … [line cut: ${full.toLocaleString('en-US')} bytes]`;
}

import { REDACTION_MARKER } from '../../security/redaction';
import { LINE_CUT_NOTE } from '../../tools/logs/lineCut';
import { MAX_EXCERPT_LINES } from '../../shared/report';

/*
 * How a cited excerpt is compared with the lines of a file. The model copies text from tool
 * results, which differ from the file in known ways: secrets are masked as [REDACTED:kind], long
 * lines end in "… [line cut: N bytes]", read_log puts "107| " before each line and search_logs
 * "107: [time level] " or "106- ". Each of those is undone here; whitespace is compared collapsed.
 * The comparison is plain substring search (indexOf), never a regular expression built from the
 * excerpt, so no excerpt can make it slow or match by accident through metacharacters.
 */

/**
 * Literal characters (besides whitespace, markers and ellipses) an excerpt needs: with fewer,
 * "… [REDACTED:password] …" or "a … b" would match nearly any line. A shorter excerpt is accepted
 * only when it has no marker or ellipsis and is the whole line ("OK", "}"), which is still a claim
 * the file can refute.
 */
export const MIN_LITERAL_CHARS = 8;

/**
 * A bound for reports that did not go through the schema (which allows 500 characters): five
 * lines as read_log shows them. Past it the excerpt is refused rather than searched for.
 */
export const MAX_EXCERPT_CHARS = 4_000;

/**
 * Characters of a line that take part in the comparison. No tool shows more than 800 characters of
 * a line (see lineCut.ts), so the model cannot have copied text from further along; the bound
 * keeps a file of megabyte-long lines from costing megabytes per comparison.
 */
export const MAX_COMPARED_LINE_CHARS = 64 * 1024;

/** Text the model may have left out or that was masked for it: each stands for any text. */
const WILDCARD = new RegExp([LINE_CUT_NOTE.source, REDACTION_MARKER.source, '…', '\\.{3,}'].join('|'), 'g');
/** The line-number prefixes the log tools print: read_log "107| ", search_logs "107: " (a match) and "106- " (context). */
const NUMBER_PREFIX = /^\s*\d+(?:\| |: |- )/;
/** What search_logs prints between a match's number and its text: "[2026-11-20T14:04:19.717Z error] ". */
const SEARCH_META = /^\[\d{4}-\d{2}-\d{2}T[\d:.]+Z(?: [a-z]+)?\] |^\[[a-z]+\] /;

/** Whitespace runs as one space, ends trimmed: the form both the excerpt and the file's lines are compared in. */
export function normalizeSpace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** One reading of the excerpt: its literal pieces in order, with any text allowed between them. */
export interface ExcerptPattern {
  segments: string[];
  /** The excerpt had no marker or ellipsis and too little text to search for: it must be the whole line. */
  wholeLine: boolean;
  /**
   * The excerpt may reach into the lines after the first: it had line breaks, or it is all literal
   * text (a stack trace joined by a space). A one-line excerpt with an ellipsis or a marker is
   * compared with one line, so "payments … ping" cannot join line 1 to line 5.
   */
  spansLines: boolean;
  /**
   * The whitespace-free runs of its literal text, longest first. A matching window of lines holds
   * every one byte for byte (normalisation only touches whitespace), so a search can skip, without
   * decoding it, any stretch of a file that lacks one of them.
   */
  words: string[];
}

export type CompiledExcerpt =
  | {
      ok: true;
      /** The readings tried in turn: as written, and without line-number prefixes the model copied. */
      patterns: ExcerptPattern[];
    }
  | { ok: false; reason: string };

export function compileExcerpt(excerpt: string): CompiledExcerpt {
  if (excerpt.length > MAX_EXCERPT_CHARS) return { ok: false, reason: `the excerpt is ${excerpt.length.toLocaleString('en-US')} characters long, too long to check` };
  const lines = excerpt.split(/\r?\n/);
  const readings = new Set([
    lines.join(' '),
    lines.map((l) => l.replace(NUMBER_PREFIX, '')).join(' '),
    lines.map((l) => (NUMBER_PREFIX.test(l) ? l.replace(NUMBER_PREFIX, '').replace(SEARCH_META, '') : l)).join(' '),
  ]);
  const patterns: ExcerptPattern[] = [];
  for (const reading of readings) {
    const pattern = patternOf(normalizeSpace(reading), lines.length > 1);
    if (pattern) patterns.push(pattern);
  }
  if (patterns.length === 0) {
    return { ok: false, reason: `the excerpt has too little text to check (at least ${MIN_LITERAL_CHARS} characters besides [REDACTED:…] markers and ellipses, or a whole line)` };
  }
  return { ok: true, patterns };
}

function patternOf(text: string, multiLine: boolean): ExcerptPattern | undefined {
  const pieces = text.split(WILDCARD);
  const segments = pieces.map((p) => p.trim()).filter((p) => p.length > 0);
  const literal = segments.reduce((n, s) => n + s.replace(/ /g, '').length, 0);
  // A word with U+FFFD came from bytes that are not UTF-8: the file does not hold it as written.
  const words = [...new Set(segments.flatMap((s) => s.split(' ')))].filter((w) => !w.includes('\uFFFD')).sort((a, b) => b.length - a.length);
  const spansLines = multiLine || pieces.length === 1;
  if (literal >= MIN_LITERAL_CHARS) return { segments, wholeLine: false, spansLines, words };
  // split() yields a single piece exactly when the excerpt holds no wildcard.
  if (pieces.length === 1 && literal > 0) return { segments, wholeLine: true, spansLines, words };
  return undefined;
}

/**
 * Where the pattern first matches `text` (normalised), or undefined. Taking each segment's first
 * occurrence after the previous one finds a match whenever one exists, and the earliest start.
 */
function findPattern(pattern: ExcerptPattern, text: string): { start: number; end: number } | undefined {
  let at = 0;
  let start = -1;
  for (const segment of pattern.segments) {
    const found = text.indexOf(segment, at);
    if (found === -1) return undefined;
    if (start === -1) start = found;
    at = found + segment.length;
  }
  return { start, end: at };
}

/**
 * Lines the excerpt covers when it starts in `lines[first]` (normalised lines), ending at most
 * MAX_EXCERPT_LINES lines further (counting from `first`); 0 when no reading of it does. Consecutive
 * lines are compared joined by a space, as the excerpt's own line breaks are; empty lines, which
 * read_log shows as a bare number, are left out of the join.
 */
export function spanAt(patterns: readonly ExcerptPattern[], lines: readonly string[], first: number): number {
  const head = lines[first];
  if (!head) return 0;
  const last = Math.min(lines.length, first + MAX_EXCERPT_LINES) - 1;
  let joined = '';
  const starts: { at: number; line: number }[] = [];
  for (let i = first; i <= last; i++) {
    if (!lines[i]) continue;
    if (joined) joined += ' ';
    starts.push({ at: joined.length, line: i });
    joined += lines[i];
  }
  for (const pattern of patterns) {
    if (pattern.wholeLine) {
      if (head === pattern.segments[0]) return 1;
      continue;
    }
    const found = findPattern(pattern, pattern.spansLines ? joined : head);
    // A match that starts further on is a match at that later line, found when that line is tried.
    if (!found || found.start >= head.length) continue;
    const endLine = starts.findLast((s) => s.at < found.end)!.line;
    return endLine - first + 1;
  }
  return 0;
}

/** A stretch of text to replace with `[REDACTED:kind]`: [start, end) in UTF-16 code units. */
export interface Span {
  start: number;
  end: number;
  kind: string;
}

/** The span of a match's `value` group, or of the whole match when it has none. */
function spanOfMatch(match: RegExpMatchArray, kind: string): Span {
  const value = match.indices?.groups?.value;
  if (value) return { start: value[0], end: value[1], kind };
  return { start: match.index!, end: match.index! + match[0].length, kind };
}

/**
 * Every match of each pattern as a span, except those whose `value` group `isSecret` rejects (a
 * template such as `$DEPLOY_PASSWORD`). Patterns need the `d` flag when they have a `value` group.
 */
export function spansOf(text: string, rules: readonly { kind: string; re: RegExp }[], isSecret: (value: string) => boolean = () => true): Span[] {
  const spans: Span[] = [];
  for (const { kind, re } of rules) {
    for (const match of text.matchAll(re)) {
      const value = match.groups?.value;
      if (value === undefined || isSecret(value)) spans.push(spanOfMatch(match, kind));
    }
  }
  return spans;
}

/** Overlapping spans become one, so a value found by two detectors is replaced (and counted) once. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** CSI (`ESC [ … m`), OSC (`ESC ] … BEL`), or ESC and one character. */
// eslint-disable-next-line no-control-regex -- terminal control sequences are what this matches
const TERMINAL_SEQUENCE = /\x1b(?:\[[0-?]{0,32}[ -/]{0,4}[@-~]|\][^\x07\x1b]{0,512}(?:\x07|\x1b\\)?|[@-Z\\-_])/g;

export interface VisibleText {
  text: string;
  toOriginal(span: Span): Span;
}

/**
 * Terminal colour and control sequences (ESC [ … m and friends) that coloured loggers write
 * between a key and its value would otherwise hide `password\x1b[0m=…` from every detector.
 * Detection runs on the text without them; `toOriginal` maps its offsets back.
 */
export function withoutTerminalSequences(text: string): VisibleText {
  if (!text.includes('\x1b')) return { text, toOriginal: (span) => span };
  const offsets: number[] = [];
  let visible = '';
  let at = 0;
  const keep = (until: number) => {
    for (let i = at; i < until; i++) offsets.push(i);
    visible += text.slice(at, until);
  };
  for (const match of text.matchAll(TERMINAL_SEQUENCE)) {
    keep(match.index);
    at = match.index + match[0].length;
  }
  keep(text.length);
  return { text: visible, toOriginal: (span) => ({ ...span, start: offsets[span.start]!, end: offsets[span.end - 1]! + 1 }) };
}

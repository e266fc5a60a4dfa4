import { basicCredentialSpans, urlCredentialSpans } from './redactionCredentials';
import { keyMaterialSpans } from './redactionKeyMaterial';
import { keyValueSpans } from './redactionKeyValues';
import { EMBEDDED_SHAPES, TOKEN_SHAPES } from './redactionRules';
import { narrowWideFindings, secretlintScanner } from './redactionSecretlint';
import { mergeSpans, spansOf, withoutTerminalSequences, type Span } from './redactionSpans';
import { isPlaceholder } from './redactionValues';

export interface Redaction {
  text: string;
  /** How many secret values were replaced. */
  count: number;
}

export type Redact = (text: string) => Promise<Redaction>;

/** What this module finds itself: each span covers a secret and nothing else. */
function preciseSpans(text: string): Span[] {
  return [
    ...spansOf(text, TOKEN_SHAPES),
    ...spansOf(text, EMBEDDED_SHAPES, (value) => !isPlaceholder(value)),
    ...urlCredentialSpans(text),
    ...basicCredentialSpans(text),
    ...keyValueSpans(text),
    ...keyMaterialSpans(text),
  ];
}

function replaceSpans(text: string, spans: Span[]): string {
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += `${text.slice(at, span.start)}[REDACTED:${span.kind}]`;
    at = span.end;
  }
  return out + text.slice(at);
}

/** What an earlier pass left: `[REDACTED:kind]`. The evidence check reads it in an excerpt as "the secret the file holds here". */
export const REDACTION_MARKER = /\[REDACTED:[^\]\s]{1,64}\]/g;

/**
 * Without the spans that touch a marker an earlier pass left, so redacting twice changes nothing:
 * a finding that holds `[REDACTED:…]` (a connection string whose password is masked, a PEM block
 * whose body is) has nothing left to mask, and one inside a marker would mangle it. Judged span by
 * span before merging, so a new secret next to an old marker is still masked.
 */
function withoutMasked(text: string, spans: Span[]): Span[] {
  if (!text.includes('[REDACTED:')) return spans;
  const markers = [...text.matchAll(REDACTION_MARKER)].map((m) => [m.index, m.index + m[0].length] as const);
  return spans.filter((span) => {
    // The first marker ending after the span starts: the span touches it when it starts before the span ends.
    let lo = 0;
    let hi = markers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (markers[mid]![1] <= span.start) lo = mid + 1;
      else hi = mid;
    }
    const marker = markers[lo];
    return marker === undefined || marker[0] >= span.end;
  });
}

/**
 * Replaces every secret found by secretlint's recommended preset or by this module's detectors
 * with `[REDACTED:kind]`, keeping what surrounds it (key names, hosts, other cookies). Runs on
 * tool results (kilobytes), not on whole files; linear in the text's length.
 */
export const redactSecrets: Redact = async (text) => {
  if (text.length === 0) return { text, count: 0 };
  const scan = await secretlintScanner();
  const visible = withoutTerminalSequences(text);
  const precise = preciseSpans(visible.text);
  const found = [...precise, ...narrowWideFindings(await scan(visible.text), precise)].map((span) => visible.toOriginal(span));
  const merged = mergeSpans(withoutMasked(text, found));
  return { text: replaceSpans(text, merged), count: merged.length };
};

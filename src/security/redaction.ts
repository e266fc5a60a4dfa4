import type { SecretLintCoreConfig } from '@secretlint/types' with { 'resolution-mode': 'import' };

export interface Redaction {
  text: string;
  /** How many secret values were replaced. */
  count: number;
}

export type Redact = (text: string) => Promise<Redaction>;

interface Span {
  start: number;
  end: number;
  kind: string;
}

/**
 * Masks secretlint's recommended rules do not cover: credentials in headers and key=value pairs,
 * and token shapes it skips when they fail a checksum (a leaked test token is still a secret).
 * Each pattern's `value` group (or the whole match) is what gets replaced.
 */
const MASKS: { kind: string; re: RegExp }[] = [
  { kind: 'authorization', re: /\b(?:proxy-)?authorization\b["']?\s*[:=]\s*["']?(?:(?:bearer|basic|token|digest|negotiate)\s+)?(?<value>[^\s"',;]+)/gi },
  { kind: 'bearer-token', re: /\bbearer\s+(?<value>[A-Za-z0-9._~+/-]{8,}=*)/gi },
  {
    kind: 'credential',
    re: /\b(?:password|passwd|pwd|pass|secret|client[_-]?secret|api[_-]?key|apikey|access[_-]?key(?:[_-]?id)?|secret[_-]?access[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|token|private[_-]?key|session[_-]?id|cookie)\b["']?\s*[:=]\s*(?<value>"[^"\s]{1,512}"|'[^'\s]{1,512}'|[^\s"',;&}]{1,512})/gi,
  },
  { kind: 'url-credentials', re: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:/@]{1,128}:(?<value>[^\s@/]{1,256})@/gi },
  { kind: 'aws-access-key-id', re: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA)[0-9A-Z]{16}\b/g },
  { kind: 'github-token', re: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/g },
  { kind: 'api-key', re: /\bsk-(?:ant-|proj-|live-|test-)?[A-Za-z0-9_-]{20,}\b/g },
  { kind: 'stripe-key', re: /\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,}\b/g },
  { kind: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { kind: 'jwt', re: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g },
  { kind: 'private-key', re: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g },
];

let secretlint: Promise<(content: string) => Promise<Span[]>> | undefined;

/** secretlint is ESM-only: load it once, on first use. */
function loadSecretlint(): Promise<(content: string) => Promise<Span[]>> {
  secretlint ??= (async () => {
    const [{ lintSource }, { creator }, { secretLintProfiler }] = await Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend'), import('@secretlint/profiler')]);
    // On by default, the profiler keeps every performance mark of every call: a leak in a long session.
    secretLintProfiler.setEnabled(false);
    const config: SecretLintCoreConfig = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator }] };
    return async (content: string) => {
      const result = await lintSource({ source: { content, filePath: 'tool-result.log', contentType: 'text' }, options: { config, maskSecrets: true } });
      return result.messages.map((m) => ({ start: m.range[0], end: m.range[1], kind: m.ruleId.replace('@secretlint/secretlint-rule-', '') }));
    };
  })();
  return secretlint;
}

function maskSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const { kind, re } of MASKS) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const value = m.groups?.value;
      const start = value === undefined ? m.index : m.index + m[0].lastIndexOf(value);
      spans.push({ start, end: start + (value ?? m[0]).length, kind });
    }
  }
  return spans;
}

/**
 * Replaces every secret found by secretlint's recommended preset or by the masks above with
 * `[REDACTED:kind]`. Runs on tool results (kilobytes), not on whole files.
 */
export const redactSecrets: Redact = async (text) => {
  if (text.length === 0) return { text, count: 0 };
  const lint = await loadSecretlint();
  const spans = [...(await lint(text)), ...maskSpans(text)].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  let out = '';
  let at = 0;
  for (const span of merged) {
    out += `${text.slice(at, span.start)}[REDACTED:${span.kind}]`;
    at = span.end;
  }
  return { text: out + text.slice(at), count: merged.length };
};

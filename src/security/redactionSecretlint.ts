import type { SecretLintCoreConfig } from '@secretlint/types' with { 'resolution-mode': 'import' };
import type { Span } from './redactionSpans';

/**
 * The preset's comment filter honours `secretlint-disable`, `secretlint-disable-line`,
 * `secretlint-disable-next-line` and `secretlint-enable`: annotations for source files. In a log
 * line they are attacker-controlled text, and one of them would silence every rule for the
 * lines after it, so the filter is left out. (Marking it `disabled` inside the preset's options
 * has no effect: secretlint checks `disabled` only for rules configured at the top level, so the
 * preset's rules are registered one by one.)
 */
const COMMENT_FILTER = '@secretlint/secretlint-rule-filter-comments';

/**
 * Rules whose findings cover more than the secret, so masking them hides evidence:
 * - a whole URL or connection string (basicauth, database-connection-string, slack's webhooks);
 * - a whole PEM block (privatekey), or the whole text when it is a service-account JSON (gcp);
 * - misaligned ranges: aws (`aws_secret_access_key=…`) and npm (`_authToken=…`, x-oauth URLs)
 *   start at the key name but take the secret's length, so they cover the name and only the
 *   head of the secret.
 */
const WIDE_RULES: ReadonlySet<string> = new Set(['basicauth', 'database-connection-string', 'slack', 'privatekey', 'gcp', 'aws', 'npm']);

/**
 * secretlint's findings, with a wide one dropped when the precise detectors found a secret
 * overlapping it: their narrower spans take its place. A wide finding nothing else explains is
 * masked whole — over-wide beats leaking.
 */
export function narrowWideFindings(findings: readonly Span[], precise: readonly Span[]): Span[] {
  return findings.filter((finding) => !WIDE_RULES.has(finding.kind) || !precise.some((span) => span.start < finding.end && span.end > finding.start));
}

export type SecretlintScan = (content: string) => Promise<Span[]>;

let scanner: Promise<SecretlintScan> | undefined;

/** secretlint's recommended rules, loaded once on first use (they are ESM-only). Kinds are rule names: `aws`, `slack`, `basicauth`. */
export function secretlintScanner(): Promise<SecretlintScan> {
  scanner ??= (async () => {
    const [{ lintSource }, { rules }, { secretLintProfiler }] = await Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend'), import('@secretlint/profiler')]);
    // On by default, the profiler keeps every performance mark of every call: a leak in a long session.
    secretLintProfiler.setEnabled(false);
    const config: SecretLintCoreConfig = { rules: rules.filter((rule) => rule.meta.id !== COMMENT_FILTER).map((rule) => ({ id: rule.meta.id, rule })) };
    return async (content: string) => {
      const result = await lintSource({ source: { content, filePath: 'tool-result.log', contentType: 'text' }, options: { config, maskSecrets: true } });
      return result.messages.map((m) => ({ start: m.range[0], end: m.range[1], kind: m.ruleId.replace('@secretlint/secretlint-rule-', '') }));
    };
  })();
  return scanner;
}

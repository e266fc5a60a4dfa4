import type { SecretLintCoreConfig } from '@secretlint/types' with { 'resolution-mode': 'import' };
import type { Span } from './redactionSpans';

/**
 * The preset's comment filter honours `secretlint-disable`, `secretlint-disable-line`,
 * `secretlint-disable-next-line` and `secretlint-enable`: annotations for source files. In a log
 * line they are attacker-controlled text, and one of them would silence every rule for the
 * lines after it, so the filter is off.
 */
const COMMENT_FILTER = '@secretlint/secretlint-rule-filter-comments';

/**
 * Rules whose finding spans more than the secret: a whole URL or connection string (user, host,
 * port, database), a whole PEM block. When the precise detectors found the secret inside such a
 * finding, their narrower spans replace it; otherwise the finding is masked whole.
 */
export const WIDE_RULES: ReadonlySet<string> = new Set(['basicauth', 'database-connection-string', 'privatekey', 'slack']);

export type SecretlintScan = (content: string) => Promise<Span[]>;

let scanner: Promise<SecretlintScan> | undefined;

/** secretlint's recommended preset, loaded once on first use (it is ESM-only). Kinds are rule names: `aws`, `slack`, `basicauth`. */
export function secretlintScanner(): Promise<SecretlintScan> {
  scanner ??= (async () => {
    const [{ lintSource }, { creator }, { secretLintProfiler }] = await Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend'), import('@secretlint/profiler')]);
    // On by default, the profiler keeps every performance mark of every call: a leak in a long session.
    secretLintProfiler.setEnabled(false);
    const config: SecretLintCoreConfig = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: creator, rules: [{ id: COMMENT_FILTER, disabled: true }] }] };
    return async (content: string) => {
      const result = await lintSource({ source: { content, filePath: 'tool-result.log', contentType: 'text' }, options: { config, maskSecrets: true } });
      return result.messages.map((m) => ({ start: m.range[0], end: m.range[1], kind: m.ruleId.replace('@secretlint/secretlint-rule-', '') }));
    };
  })();
  return scanner;
}

import { redactSecrets, type Redact, type Redaction } from './redaction';

/** Shorter fragments are too likely to occur by chance in ordinary text to be worth masking. */
const MIN_FRAGMENT = 8;

/**
 * Masks values the process knows to be secret (the API key, a Prometheus token) wherever they
 * appear literally, also when split by whitespace or quoted as JSON would. Pattern-based
 * redaction finds secrets by shape; this catches a known one whatever its shape, e.g. a
 * gateway key that looks like nothing in particular.
 */
export function maskKnownSecrets(values: readonly (string | null | undefined)[]): (text: string) => Redaction {
  const fragments = new Set<string>();
  for (const value of values) {
    if (!value) continue;
    for (const variant of [value, JSON.stringify(value).slice(1, -1)]) {
      if (variant.length >= MIN_FRAGMENT) fragments.add(variant);
      for (const part of variant.split(/\s+|\\[nrt]/)) if (part.length >= MIN_FRAGMENT) fragments.add(part);
    }
  }
  // Longest first, so a whole value is replaced before any of its parts.
  const ordered = [...fragments].sort((a, b) => b.length - a.length);
  return (text) => {
    let count = 0;
    for (const fragment of ordered) {
      const parts = text.split(fragment);
      count += parts.length - 1;
      text = parts.join('[REDACTED:credential]');
    }
    return { text, count };
  };
}

/**
 * For text that leaves the process: the secrets the process holds by value first, then secrets
 * by shape. In that order because a pattern may cover only part of a known value (an AWS-shaped
 * head of a longer gateway token), after which the rest would no longer match literally.
 */
export function redactorFor(knownValues: readonly (string | null | undefined)[]): Redact {
  const maskKnown = maskKnownSecrets(knownValues);
  return async (text) => {
    const byValue = maskKnown(text);
    const byShape = await redactSecrets(byValue.text);
    return { text: byShape.text, count: byValue.count + byShape.count };
  };
}

import type { FirstLook } from '../../shared/firstLook';
import type { Redact } from '../../security/redaction';

/**
 * The first look with every string passed through the run's redactor, as a tool result is: its
 * samples and templates are log text, its notes can quote a path or a git message. Each string
 * is redacted on its own (they are single lines), all at once.
 */
export async function redactFirstLook(look: FirstLook, redact: Redact): Promise<FirstLook> {
  let count = 0;
  const walk = async (value: unknown): Promise<unknown> => {
    if (typeof value === 'string') {
      const redacted = await redact(value);
      count += redacted.count;
      return redacted.text;
    }
    if (Array.isArray(value)) return Promise.all(value.map(walk));
    if (value !== null && typeof value === 'object') {
      const entries = await Promise.all(Object.entries(value).map(async ([key, v]) => [key, await walk(v)] as const));
      return Object.fromEntries(entries);
    }
    return value;
  };
  const redacted = (await walk(look)) as FirstLook;
  return count ? { ...redacted, redactions: (look.redactions ?? 0) + count } : redacted;
}

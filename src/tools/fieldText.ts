/**
 * A field of a workspace file (a deploy record, a metric sample) as text. The files are the
 * user's, so a field can hold anything: an object is shown as JSON, never as "[object Object]".
 */
export function fieldText(value: unknown, fallback = ''): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? fallback;
}

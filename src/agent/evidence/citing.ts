/** Longest piece of the model's own text (a path, a ref, a time) repeated in a reason or a failure line. */
const MAX_QUOTED_CHARS = 80;

/**
 * The model's text quoted back, in JSON quotes and cut to a length that fits a line: a reason may
 * repeat what the model wrote (which it can fix), never what a file holds.
 */
export function quoted(text: string): string {
  return JSON.stringify(text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}…` : text);
}

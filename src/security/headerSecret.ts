/**
 * A secret (the API key, a bearer token) as it will go into an HTTP header: surrounding
 * whitespace trimmed (a pasted key or a `$(cat file)` often carries a line break), and refused
 * when anything inside it would make the header invalid. The key itself is never part of the message: fetch's own error quotes the whole
 * header, which is how a key with a newline once reached an error event and the ledger.
 */
export function checkHeaderSecret(raw: string, source: string): { ok: true; key: string } | { ok: false; problem: string } {
  const key = raw.trim();
  if (!key) return { ok: false, problem: `${source} is empty.` };
  const bad = [...key].findIndex((ch) => !/^[\x21-\x7e]$/.test(ch));
  if (bad >= 0) {
    const what = /\s/.test(key[bad]!) ? 'a space or line break' : 'a control or non-ASCII character';
    return { ok: false, problem: `${source} contains ${what} at position ${bad + 1} of ${key.length}; a key or token is a single word of printable ASCII. Set it to the key alone.` };
  }
  return { ok: true, key };
}

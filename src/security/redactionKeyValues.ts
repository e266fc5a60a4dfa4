import { isBasicCredentials } from './redactionCredentials';
import { secretName, type SecretName } from './redactionKeyNames';
import type { Span } from './redactionSpans';
import { isDottedName, isPath, isPlaceholder, isUrl, looksLikeToken, looksRandom } from './redactionValues';

/**
 * Values of keys whose names say they hold a secret, in the syntaxes logs use: env dumps and
 * logfmt (DB_PASSWORD=…), query strings, JSON lines ("db_password":"…", and escaped JSON inside a
 * message), YAML and headers (X-Api-Key: …), CLI flags (--db-password …), connection strings
 * (AccountKey=…;), name/value pairs (k8s env, .NET appSettings), XML elements and cookies. Only
 * the value is masked: the key, its quotes and the pairs around it stay.
 *
 * The patterns match a key and its operator but not the value, which is read separately: a
 * value that holds further pairs (a connection string in an env var) is still scanned.
 */

/** key, optional closing quote (escaped inside a JSON string), operator. */
const ASSIGNMENT = /(?<![\w.-])(?<key>-{0,2}[A-Za-z_][\w.-]{0,79})\\?["']?[ \t]{0,4}(?<op>:=|=>|=|:)(?<gap>[ \t]{0,4})/dg;
/** `--db-password hunter2`, also as JSON arguments: `"--db-password", "hunter2"`. */
const FLAG = /(?<![\w-])--(?<key>[A-Za-z][\w.-]{0,79})(?<gap>[ \t]{1,2}|"[ \t]{0,2},[ \t]{0,2})(?=[^\s-])/dg;
/** `{"name":"DB_PASSWORD","value":"…"}`, `<add key="DbPassword" value="…"/>`, YAML `- name: X` / `value: …`. */
const NAMED_VALUE =
  /(?<![\w-])\\?["']?(?:name|key)\\?["']?[ \t]{0,4}[:=][ \t]{0,4}\\?["']?(?<key>[\w.:-]{1,80})\\?["']?(?:[ \t]{0,4},?[ \t]{0,4}|[ \t]{0,8}\r?\n[ \t]{0,16})\\?["']?value\\?["']?[ \t]{0,4}[:=](?<gap>[ \t]{0,4})/dg;
const XML_ELEMENT = /<(?<key>[A-Za-z_][\w.:-]{0,79})>(?<value>[^<\r\n]{1,512})<\/(?<close>[A-Za-z_][\w.:-]{0,79})>/dg;
const COOKIE_HEADER = /(?<![\w-])(?:set-)?cookies?\\?["']?[ \t]{0,4}[:=][ \t]{0,4}\[?\\?["']?(?<list>[^\r\n"\\]{1,4096})/dgi;
const COOKIE_PAIR = /(?<![^\s;])(?<name>[^\s=;,]{1,128})=(?<value>[^;\s,]{1,4096})/dg;

/** Readers for a value at a position, by its opening character; a missing closing quote ends it at the line's end. */
const ESCAPED_QUOTED = /\\"(?<value>(?:[^"\\\r\n]|\\(?!")[^\r\n]){0,512})/dy;
const DOUBLE_QUOTED = /"(?<value>(?:[^"\\\r\n]|\\[^\r\n]){0,512})/dy;
const SINGLE_QUOTED = /'(?<value>[^'\r\n]{0,512})/dy;
const BACK_QUOTED = /`(?<value>[^`\r\n]{0,512})/dy;
/**
 * Unquoted: up to whitespace, a quote, or a separator (`,` `;` `&`) that is followed by a space or
 * by the next key — `Tr0ub4dor&3` and `p;w,d` are whole passwords, `abc&page=2` is not. A
 * backslash that starts a JSON escape (\n, \", \u0026) ends the value too.
 */
const BARE_CHAR = String.raw`(?:[^\s"'\`,;&{}\\]|\\(?![nrtu"\\])|[,;&](?![\s]|$|amp;|[\w.-]{1,80}[=:]))`;
const BARE = new RegExp(String.raw`(?<value>(?![\[{])${BARE_CHAR}{1,512})`, 'dy');

interface Value {
  start: number;
  end: number;
  text: string;
  quoted: boolean;
}

function readValue(text: string, at: number): Value | undefined {
  const first = text[at];
  const reader = first === '\\' && text[at + 1] === '"' ? ESCAPED_QUOTED : first === '"' ? DOUBLE_QUOTED : first === "'" ? SINGLE_QUOTED : first === '`' ? BACK_QUOTED : BARE;
  reader.lastIndex = at;
  const match = reader.exec(text);
  const span = match?.indices?.groups?.value;
  if (!match || !span) return undefined;
  const value = reader === BARE ? withoutClosingPunctuation(match.groups!.value!) : match.groups!.value!;
  if (value === '') return undefined;
  return { start: span[0], end: span[0] + value.length, text: value, quoted: reader !== BARE };
}

/** `(using password: YES)`, `[token=abc]`, `password=abc.`, `token: <*>: …`: the bracket, full stop or colon closes the sentence, not the value. */
function withoutClosingPunctuation(value: string): string {
  const openers: Record<string, string> = { ')': '(', ']': '[', '>': '<' };
  let end = value.length;
  for (;;) {
    const last = value[end - 1];
    const opener = last === undefined ? undefined : openers[last];
    if (last === '.' || last === ':' || (opener !== undefined && !value.slice(0, end - 1).includes(opener))) end--;
    else return value.slice(0, end);
  }
}

/** Whether a value under a secret-naming key is masked, given how sure the name is. */
function isSecretValue(value: string, name: SecretName): boolean {
  if (isPlaceholder(value) || isUrl(value) || isPath(value) || isDottedName(value)) return false;
  if (name.strength === 'token') return looksLikeToken(value) || isBasicCredentials(value);
  if (name.strength === 'random') return looksRandom(value);
  // A PEM key is masked by the key-material rules, which keep its armour lines.
  return !value.includes('PRIVATE KEY-----');
}

/**
 * `password: required by policy`, `creds:Could not retrieve account`: a word followed by more
 * words (not by `key=`) after a colon is prose about the secret. After `key= ` a further
 * `user=bob` means the value was empty.
 */
function isProse(text: string, op: string, gap: string, value: Value): boolean {
  if (value.quoted) return false;
  if (op === ':' && /^[A-Za-z]{1,16}$/.test(value.text) && /^ [a-z]{1,32}(?:[ ,.;]|$)/.test(text.slice(value.end, value.end + 34))) return true;
  return gap !== '' && /^[A-Za-z_][\w.-]{0,79}[:=]/.test(value.text);
}

/** `token=AppWindowToken{9f4ef63 …}`, `Token: Token { kind: … }`: an object's type in a debug dump. */
function isTypeName(text: string, value: Value): boolean {
  return !value.quoted && /^[A-Z][\w$]{0,63}$/.test(value.text) && /^ ?\{/.test(text.slice(value.end, value.end + 2));
}

function spanAfter(text: string, key: string, at: number, op: string, gap: string): Span | undefined {
  const name = secretName(key);
  if (!name) return undefined;
  const value = readValue(text, at);
  if (!value || !isSecretValue(value.text, name) || isProse(text, op, gap, value) || isTypeName(text, value)) return undefined;
  return { start: value.start, end: value.end, kind: name.kind };
}

function assignmentSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(ASSIGNMENT)) {
    // user:password@ inside a URL is the URL rule's, which keeps the host.
    if (text.slice(m.index - 3, m.index) === '://') continue;
    const span = spanAfter(text, m.groups!.key!, m.index + m[0].length, m.groups!.op!, m.groups!.gap!);
    if (span) spans.push(span);
  }
  for (const re of [FLAG, NAMED_VALUE]) {
    for (const m of text.matchAll(re)) {
      const span = spanAfter(text, m.groups!.key!, m.index + m[0].length, '=', m.groups!.gap!);
      if (span) spans.push(span);
    }
  }
  return spans;
}

function xmlElementSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(XML_ELEMENT)) {
    const { key, value, close } = m.groups!;
    const name = key === close ? secretName(key!) : undefined;
    const [start, end] = m.indices!.groups!.value!;
    if (name && isSecretValue(value!.trim(), name)) spans.push({ start, end, kind: name.kind });
  }
  return spans;
}

/**
 * Cookie headers: pairs named like sessions or secrets (also matched as assignments), and any
 * cookie whose value is random key material. Preferences (theme=dark; lang=en) and attributes
 * (Path, Expires) stay.
 */
function cookieSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const header of text.matchAll(COOKIE_HEADER)) {
    const [listStart] = header.indices!.groups!.list!;
    for (const pair of header.groups!.list!.matchAll(COOKIE_PAIR)) {
      const { name, value } = pair.groups!;
      const named = secretName(name!);
      const secret = named ? isSecretValue(value!, named) : looksRandom(value!) || /^[a-f0-9]{32,}$/i.test(value!);
      const [start, end] = pair.indices!.groups!.value!;
      if (secret) spans.push({ start: listStart + start, end: listStart + end, kind: named?.kind ?? 'cookie' });
    }
  }
  return spans;
}

export function keyValueSpans(text: string): Span[] {
  return [...assignmentSpans(text), ...xmlElementSpans(text), ...cookieSpans(text)];
}

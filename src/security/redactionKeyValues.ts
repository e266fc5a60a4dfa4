import { isBasicCredentials } from './redactionCredentials';
import { secretName, type SecretName } from './redactionKeyNames';
import type { Span } from './redactionSpans';
import { isDottedName, isPath, isPlaceholder, isResourceName, isWordAboutSecret, isTimestamp, isUrl, looksLikeToken, looksRandom } from './redactionValues';

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
/** `password%3Dhunter2%26user%3Dbob`: a query string or form body URL-encoded inside another (a `next=` or `data=` parameter). */
const ENCODED_ASSIGNMENT = /(?:(?<=%2[6Ff]|%3[Ff]|%20)|(?<![\w.%-]))(?<key>[A-Za-z_][\w.-]{0,79})%3[Dd](?<value>(?:[^\s%&"'<>]|%(?!2[06]|3[Dd])[0-9A-Fa-f]{2}){1,512})/dg;
const COOKIE_HEADER = /(?<![\w-])(?:set-)?cookies?\\?["']?[ \t]{0,4}[:=][ \t]{0,4}\[?\\?["']?(?<list>[^\r\n"\\]{1,4096})/dgi;
const COOKIE_PAIR = /(?<![^\s;])(?<name>[^\s=;,]{1,128})=(?<value>[^;\s,]{1,4096})/dg;

/** Readers for a value at a position, by its opening character; a missing closing quote ends it at the line's end. */
const ESCAPED_QUOTED = /\\"(?<value>(?:[^"\\\r\n]|\\(?!")[^\r\n]){0,512})/dy;
const DOUBLE_QUOTED = /"(?<value>(?:[^"\\\r\n]|\\[^\r\n]){0,512})/dy;
/** SQL doubles a quote inside single quotes: `'it''s complex'` is one value. */
const SINGLE_QUOTED = /'(?<value>(?:[^'\r\n]|''(?!'|[ \t]|$)){0,512})/dy;
const BACK_QUOTED = /`(?<value>[^`\r\n]{0,512})/dy;
/**
 * Unquoted: up to whitespace, a quote, or a separator (`,` `;` `&`) that is followed by a space or
 * by the next key or a JSON escape — `Tr0ub4dor&3` and `p;w,d` are whole passwords, `abc&page=2`
 * and `$cred.Password;\n` (a statement's end in a script inside JSON) are not. A backslash that
 * starts a JSON escape (\n, \", \u0026) ends the value too.
 */
const BARE_CHAR = String.raw`(?:[^\s"'\`,;&{}\\]|\\(?![nrtu"\\])|[,;&](?![\s]|$|amp;|[\w.-]{1,80}[=:]|\\[nrt"]))`;
const BARE = new RegExp(String.raw`(?<value>(?![\[{])${BARE_CHAR}{1,512})`, 'dy');

/**
 * A connection string's value (`Server=db;User Id=app;Password=P@ss w0rd!;Encrypt=True`): up to the
 * `;` that ends the pair, spaces included, when the pair follows a `;` or the next pair follows it.
 * Not across a logfmt ` key=` nor a quote.
 */
const CONNECTION_VALUE = /[^;"'\r\n]{1,512}(?=;|\r?\n|$)/y;
const CONNECTION_NEXT_PAIR = /^;[ \t]{0,4}[A-Za-z][\w.]{0,40}=/;
const LOGFMT_PAIR = /[ \t][A-Za-z_][\w.-]{0,79}[=:]/;

/** `['hunter2', 'x']`: a list's opening and the separator between its quoted items. */
const LIST_OPEN = /\[[ \t]{0,4}(?=\\?["'])/y;
const LIST_NEXT = /\\?["'][ \t]{0,4},[ \t]{0,4}(?=\\?["'])/y;
/**
 * What may come before a key that starts its line: the line number the log tools print (search_logs'
 * `12: ` and `12- `, read_log's `12| `, `cat -n`'s `    12\t`), search_logs' `[time level] `,
 * indentation, a YAML list's `- `, `export `, and a quote. After it comes the key, its operator and
 * the value.
 */
const LINE_HEAD = /^(?:[ \t]{0,16}\d{1,9}(?:[:|-] |\t))?(?:\[[^\]\n]{0,64}\] )?[ \t]{0,32}(?:-[ \t]{1,4})?(?:export[ \t]{1,4})?["']?[A-Za-z_][\w.-]{0,79}["']?[ \t]{0,4}(?::|=)[ \t]{0,4}$/;
/** Between two words of a value that runs on: spaces, not before a YAML comment or the next logfmt ` key=`. */
const NEXT_WORD = /[ \t]{1,8}(?![A-Za-z_][\w.-]{0,79}=|#)(?=\S)/y;
/** Words that start a sentence about a secret (`jwt: malformed token`) rather than a secret of several words. */
const PROSE_START = new Set(
  'malformed is was are not cannot can could does did has have had will would should must too for of to and or the a an no verification validation check checks length policy format reset update updated saved stored generated expires matches contains must'.split(
    ' ',
  ),
);
/** Where a word of a running value was cut short (closing punctuation, a quote, a separator): the value ends there. */
const BARE_STOP = /[^ \t]/;
/** `credentials: loaded from /var/run/…`: a word then one of these is a sentence. */
const PREPOSITIONS = new Set('from by at for in on with to after before because since via into of as'.split(' '));
/** `10.1.2.3`, `10.1.2.3:5432`, `[::1]`-less IPv6 such as `fe80::1`: an address after a value is evidence. */
const IP_ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})$/i;
/** `lotuscreds:ERROR:Could not retrieve…`: a log level after the key is a message, not a value. */
const LOG_LEVEL = /^(?:ERROR|ERR|WARN|WARNING|INFO|DEBUG|FATAL|CRIT|CRITICAL|TRACE|NOTICE|ALERT|EMERG)(?::|$)/i;

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
  if (isPlaceholder(value) || isTimestamp(value) || isUrl(value) || isPath(value) || isDottedName(value)) return false;
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
  if (LOG_LEVEL.test(value.text)) return true;
  if (op === ':' && /^[A-Za-z]{1,16}$/.test(value.text) && /^ [a-z]{1,32}(?:[ ,.;]|$)/.test(text.slice(value.end, value.end + 34))) return true;
  return gap !== '' && /^[A-Za-z_][\w.-]{0,79}[:=]/.test(value.text);
}

/** `token=AppWindowToken{9f4ef63 …}`, `Token: Token { kind: … }`: an object's type in a debug dump. */
function isTypeName(text: string, value: Value): boolean {
  return !value.quoted && /^[A-Z][\w$]{0,63}$/.test(value.text) && /^ ?\{/.test(text.slice(value.end, value.end + 2));
}

/**
 * `secret: checkout-db-credentials (namespace prod) not found`: under a key that is just `secret`
 * or `credentials`, a resource's name is the Kubernetes secret or vault path that was looked up.
 */
function isNamedResource(key: string, value: Value): boolean {
  return !value.quoted && /^(?:secrets?|credentials|creds)$/i.test(key) && isResourceName(value.text);
}

/**
 * The text from the start of `at`'s line up to `at` when it is only a key and its operator (an
 * env dump's `DB_PASSWORD=`, YAML's `  password: `); looks back at most 160 characters.
 */
function lineHead(text: string, at: number): RegExpExecArray | undefined {
  let start = at;
  while (start > 0 && at - start < 160 && text[start - 1] !== '\n') start--;
  if (start > 0 && text[start - 1] !== '\n') return undefined;
  return LINE_HEAD.exec(text.slice(start, at)) ?? undefined;
}

/**
 * An unquoted value on a line of its own key (`DB_PASSWORD=correct horse battery staple`,
 * `password: letmein now`) runs on word by word to the line's end, a YAML comment or the next
 * ` key=`: the value is all of it, spaces included. Mid-line, a value ends at its first space as
 * before. `password: required by policy` and `jwt: malformed token` are sentences, not values.
 */
function wholeLineValue(text: string, value: Value, name: SecretName, op: string): Value | undefined {
  if (value.quoted || name.strength !== 'any' || (op !== '=' && op !== ':') || !lineHead(text, value.start)) return undefined;
  // A template, path or URL first (`password=$DB_PASSWORD psql -h db`) is the value; a sentence is no value.
  const first = value.text;
  if ((first.length >= 3 && isPlaceholder(first)) || isUrl(first) || isPath(first) || isTimestamp(first) || isWordAboutSecret(first) || PROSE_START.has(first.toLowerCase())) return undefined;
  // Word by word; `before` is where the value ended before the last word, for `rejected by`.
  let end = value.end;
  let before = value.end;
  for (let words = 0; words < 64 && end - value.start < 512; words++) {
    NEXT_WORD.lastIndex = end;
    const gap = NEXT_WORD.exec(text);
    const next = gap && readValue(text, end + gap[0].length);
    if (!next || next.quoted || startsEvidence(text, next)) break;
    // `abc123 rejected by upstream`: a word then a preposition starts a sentence, the value ends before that word.
    if (PREPOSITIONS.has(next.text.toLowerCase())) {
      end = words === 0 ? end : before;
      break;
    }
    before = end;
    end = next.end;
    if (BARE_STOP.test(text[end] ?? '')) break;
  }
  return end === value.end ? undefined : { ...value, end, text: text.slice(value.start, end) };
}

/**
 * A word after a value that starts what the line says about it rather than continuing it: a
 * timestamp, a URL, an IP address, a parenthesis (`(expired)`), or a word that starts a sentence.
 */
function startsEvidence(text: string, word: Value): boolean {
  const lower = word.text.toLowerCase();
  return text[word.start] === '(' || isTimestamp(word.text) || isUrl(word.text) || IP_ADDRESS.test(word.text) || PROSE_START.has(lower);
}

/** `['hunter2', 'hunter3']` under a secret's key: each quoted item. */
function listSpans(text: string, at: number, name: SecretName): Span[] {
  LIST_OPEN.lastIndex = at;
  const open = LIST_OPEN.exec(text);
  if (!open) return [];
  const spans: Span[] = [];
  let next = at + open[0].length;
  for (let i = 0; i < 64; i++) {
    const value = readValue(text, next);
    if (!value?.quoted) break;
    if (isSecretValue(value.text, name)) spans.push({ start: value.start, end: value.end, kind: name.kind });
    LIST_NEXT.lastIndex = value.end;
    const separator = LIST_NEXT.exec(text);
    if (!separator) break;
    next = value.end + separator[0].length;
  }
  return spans;
}

/** The value of a `;`-separated pair that holds a space, or undefined when the pair is not in a connection string. */
function connectionValue(text: string, keyStart: number, at: number): Value | undefined {
  CONNECTION_VALUE.lastIndex = at;
  const value = CONNECTION_VALUE.exec(text)?.[0].trimEnd();
  if (!value || !/[ \t]/.test(value) || LOGFMT_PAIR.test(value)) return undefined;
  const end = at + value.length;
  if (text[keyStart - 1] !== ';' && !CONNECTION_NEXT_PAIR.test(text.slice(end, end + 48))) return undefined;
  return { start: at, end, text: value, quoted: false };
}

function spansAfter(text: string, key: string, at: number, op: string, gap: string, keyStart = -1): Span[] {
  const name = secretName(key);
  if (!name) return [];
  if (text[at] === '[') return listSpans(text, at, name);
  const connection = op === '=' && keyStart >= 0 ? connectionValue(text, keyStart, at) : undefined;
  if (connection) return isSecretValue(connection.text, name) ? [{ start: connection.start, end: connection.end, kind: name.kind }] : [];
  const first = readValue(text, at);
  if (!first || isTypeName(text, first) || isNamedResource(key, first)) return [];
  const whole = isProse(text, '=', gap, first) ? undefined : wholeLineValue(text, first, name, op);
  const value = whole ?? first;
  if (!isSecretValue(value.text, name) || (!whole && isProse(text, op, gap, first))) return [];
  return [{ start: value.start, end: value.end, kind: name.kind }];
}

/** An ARN up to its end: `arn:partition:service:region:account:resource`. */
const ARN = /(?<![\w-])arn:[a-z0-9-]{0,32}:[^\s"'=,;()<>[\]{}]{1,2048}/g;

/**
 * `arn:aws:secretsmanager:…:secret:prod/db-AbCdEf`: an ARN's `secret:` is a resource type, not a
 * key. Returns a test for offsets, to be asked in increasing order (one pass over the ARNs).
 */
function arnTest(text: string): (at: number) => boolean {
  const arns = [...text.matchAll(ARN)].map((m) => [m.index, m.index + m[0].length] as const);
  let next = 0;
  return (at) => {
    while (next < arns.length && arns[next]![1] <= at) next++;
    const arn = arns[next];
    return arn !== undefined && arn[0] < at;
  };
}

function assignmentSpans(text: string): Span[] {
  const spans: Span[] = [];
  const insideArn = arnTest(text);
  for (const m of text.matchAll(ASSIGNMENT)) {
    // user:password@ inside a URL is the URL rule's, which keeps the host.
    if (text.slice(m.index - 3, m.index) === '://' || insideArn(m.index)) continue;
    spans.push(...spansAfter(text, m.groups!.key!, m.index + m[0].length, m.groups!.op!, m.groups!.gap!, m.index));
  }
  for (const re of [FLAG, NAMED_VALUE]) {
    for (const m of text.matchAll(re)) spans.push(...spansAfter(text, m.groups!.key!, m.index + m[0].length, '=', m.groups!.gap!));
  }
  return spans;
}

/** Pairs inside a URL-encoded query string, judged on their decoded value. */
function encodedAssignmentSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(ENCODED_ASSIGNMENT)) {
    const name = secretName(m.groups!.key!);
    let value = m.groups!.value!;
    try {
      value = decodeURIComponent(value);
    } catch {
      // Not valid percent-encoding: judge it as written.
    }
    const [start, end] = m.indices!.groups!.value!;
    if (name && isSecretValue(value, name)) spans.push({ start, end, kind: name.kind });
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
  return [...assignmentSpans(text), ...encodedAssignmentSpans(text), ...xmlElementSpans(text), ...cookieSpans(text)];
}

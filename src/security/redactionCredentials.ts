import type { Span } from './redactionSpans';
import { isPlaceholder, looksLikeToken } from './redactionValues';

/**
 * `scheme://user:password@host`: the authority up to its last `@` (passwords contain `@`),
 * without quotes, backslashes or braces, so an e-mail address later on a JSON line is not
 * mistaken for the end of a URL's credentials.
 */
const URL_AUTHORITY = /(?<![\w+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/(?<userinfo>[^\s/?#"'`<>\\{}]{1,300})@(?<host>[^\s/?#"'`<>\\{}:]{0,253})/dg;
/** The same URL percent-encoded inside another (`redirect_uri=https%3A%2F%2Fbob%3Ahunter2%40host`): the password up to `%40`, never across an encoded `/` (so `host%3A8443%2Fpath%40x` is no password). */
const ENCODED_URL_CREDENTIALS = /(?<![\w+.-])[A-Za-z][A-Za-z0-9+.-]{1,30}%3[Aa]%2[Ff]%2[Ff][^\s%/?#@"'<>&]{0,128}%3[Aa](?<value>(?:[^\s%/?#@"'<>&]|%(?!2[Ff]|40|3[Ff])[0-9A-Fa-f]{2}){1,256})%40/dg;
const BASIC = /(?<![\w-])basic[ \t]{1,4}(?<value>[A-Za-z0-9+/]{4,1024}={0,2})(?![\w+/=])/dgi;

/**
 * `scheme://user:password@host`: the password; `scheme://token@host` (a Sentry DSN, a token used
 * as the user name): the token. Scheme, user name, host, port and path stay. Also when the URL is
 * percent-encoded inside another one's query string.
 */
export function urlCredentialSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(URL_AUTHORITY)) {
    const userinfo = m.groups!.userinfo!;
    const [start, end] = m.indices!.groups!.userinfo!;
    const kind = /(?:^|\.)sentry\.|ingest\.sentry\.io$/.test(m.groups!.host!) ? 'sentry-dsn' : 'url-credentials';
    const colon = userinfo.indexOf(':');
    if (colon >= 0 && !isPlaceholder(userinfo.slice(colon + 1))) spans.push({ start: start + colon + 1, end, kind });
    else if (colon < 0 && isTokenUserName(userinfo)) spans.push({ start, end, kind });
  }
  for (const m of text.matchAll(ENCODED_URL_CREDENTIALS)) {
    const [start, end] = m.indices!.groups!.value!;
    if (!isPlaceholder(m.groups!.value!)) spans.push({ start, end, kind: 'url-credentials' });
  }
  return spans;
}

/** A token as the user name (a Sentry key, `ghp_…`): no dots or `%40`, so an e-mail address as user name stays. */
const isTokenUserName = (userinfo: string) => /^[A-Za-z0-9_-]{12,300}$/.test(userinfo) && looksLikeToken(userinfo, 12);

/** Base64 of `user:password`, the value of HTTP Basic authentication and of Docker's `auth`. */
export function isBasicCredentials(value: string): boolean {
  if (!/^[A-Za-z0-9+/]{4,1024}={0,2}$/.test(value)) return false;
  const decoded = Buffer.from(value, 'base64').toString('latin1');
  return /^[\x20-\x7e]{1,256}:[\x20-\x7e]{1,512}$/.test(decoded);
}

/**
 * `Basic <base64>` wherever it appears (`"auth": "Basic …"`, a curl header), recognised by
 * decoding to `user:password`: "Basic authentication failed" and `Basic realm=` stay.
 */
export function basicCredentialSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(BASIC)) {
    const [start, end] = m.indices!.groups!.value!;
    if (isBasicCredentials(m.groups!.value!)) spans.push({ start, end, kind: 'basic-auth' });
  }
  return spans;
}

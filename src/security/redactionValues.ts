/**
 * What a value looks like, for detectors that find it by its key's name or its place in a URL:
 * placeholders and words are not secrets, and weaker names need a value that looks generated.
 */

/**
 * A variable's name in a template: upper case (`DB_PASSWORD`), snake case with an underscore
 * (`db_password`) or dotted (`cred.Password`, `env.DB_PASS`). A mixed-case word (`$uperS3cret`,
 * `$Tr0ngPass`) is a password that starts with `$`, not a variable.
 */
const VARIABLE = '(?:[A-Z_][A-Z0-9_]{0,63}|[a-z][a-z0-9]{0,31}(?:_[a-z0-9]{1,32}){1,8}|[A-Za-z_][A-Za-z0-9_]{0,63}(?:\\.[A-Za-z_][A-Za-z0-9_]{0,63}){1,8})';

/**
 * Values loggers print instead of a secret, templates and variables that stand for one
 * (`${DB_PASSWORD}`, `${DB_PASSWORD:-}`, `$cred.Password`, `$env:TOKEN`, `%DB_PASS%`), and regex
 * groups (`PWD=(?<pwd>…)`). The whole value must be the placeholder: `${x}abc` is not one.
 */
const PLACEHOLDER =
  /^(?:\*{1,64}|[xX]{3,64}|\.{3}|-{1,3}|<[^<>]{0,64}>|%[A-Za-z_][A-Za-z0-9_]{0,63}%|\{\{[^}]{0,64}\}\}|\[(?:REDACTED|FILTERED|MASKED|HIDDEN)[^\]]{0,64}\]|%[sdv]|%\(\w{1,32}\)s)$|^\(\?/i;
/** Shell, PowerShell and CI variables: case matters, so it is apart from PLACEHOLDER. */
const TEMPLATE = new RegExp(`^\\$(?:\\{(?:env:)?${VARIABLE}(?:[:?+-]{1,2}[^}]{0,64})?\\}|(?:env:)?${VARIABLE})$`);

/** Words that follow `password:` or `token=` in messages about a secret rather than in place of it. */
const WORDS_NOT_SECRETS = new Set(
  'null nil none undefined true false yes no on off empty set unset required optional missing invalid expired revoked provided present absent hidden masked redacted filtered sensitive secret changed rotated ok n/a not failed error denied rejected accepted ignored disabled enabled supplied configured mismatch incorrect wrong'.split(
    ' ',
  ),
);

/** Too short to carry a secret (`x`, `-`, `no`), a placeholder, or a word about the secret. */
export function isPlaceholder(value: string): boolean {
  return value.length < 3 || PLACEHOLDER.test(value) || TEMPLATE.test(value) || WORDS_NOT_SECRETS.has(value.toLowerCase());
}

/** An ISO 8601 / RFC 3339 date or time (`2024-05-01T12:00:00.000Z`): when something happened, never a secret. */
export function isTimestamp(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value);
}

/**
 * A resource's name (`checkout-db-credentials`, `prod/checkout/db`, `ingress-tls-2024`): lower-case
 * words joined by `-`, `/` or `.`, each a word, a word with a short number, or a number — not the
 * mix of letters and digits a generated secret has (`s3cr3t-x9k2`).
 */
export function isResourceName(value: string): boolean {
  if (value.length > 253 || !/^[a-z0-9]+(?:[-/.][a-z0-9]+){1,16}$/.test(value)) return false;
  return value.split(/[-/.]/).every((part) => /^(?:[a-z]{1,63}\d{0,4}|\d{1,8})$/.test(part));
}

/** A word that says something about a secret (`required`, `missing`, `none`) rather than being one. */
export function isWordAboutSecret(value: string): boolean {
  return WORDS_NOT_SECRETS.has(value.toLowerCase());
}

/** A URL: its credentials, if any, are masked by the URL rule, which keeps the host. */
export function isUrl(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]{1,30}:\/\//.test(value);
}

/**
 * A filesystem path (PWD=/auto/build/test, password_file=/run/secrets/db): where a secret is, not
 * the secret. One segment counts only under the usual roots; base64 with `/` has `+` or `=`, or
 * no two word-only segments.
 */
export function isPath(value: string): boolean {
  return (
    /^(?:~|\.{1,2})\/|^[A-Za-z]:\\|^\/(?:bin|etc|home|opt|tmp|usr|var|run|srv|app|mnt|proc|dev|data|secrets?|root|workspace|certs?|keys?|config)(?:\/|$)/.test(value) ||
    /^\/[\w.-]{1,255}(?:\/[\w.-]{1,255}){1,64}\/?$/.test(value)
  );
}

/**
 * A dotted name that starts in lower case, with four parts or an object or path suffix: a bundle
 * (`com.apple.xpc.activity/4505`) or a Java object (`android.os.BinderProxy@2bd79ce`), not a
 * secret. Three bare parts (`my.secret.pass`) may well be a passphrase.
 */
export function isDottedName(value: string): boolean {
  const part = '\\.[A-Za-z_$][\\w$-]{0,63}';
  return new RegExp(`^[a-z][a-z0-9_-]{0,63}(?:(?:${part}){3,16}|(?:${part}){2,16}(?:@[0-9a-f]{1,16}|/[\\w.-]{0,64}))$`).test(value);
}

/** Generated-looking: an id or token of letters and digits (session ids, signatures, hex keys), not a hex number. */
export function looksLikeToken(value: string, minLength = 16): boolean {
  return value.length >= minLength && /^[A-Za-z0-9+/=_.~%:-]+$/.test(value) && /\d/.test(value) && /[A-Za-z]/.test(value) && !isHexNumber(value);
}

/** `0x14ed93111f20005`: a number written in hex (ZooKeeper's session ids, addresses), not a token. */
const isHexNumber = (value: string) => /^0x[0-9a-f]+$/i.test(value);

/**
 * Random key material: long, with upper case, lower case and digits. Hex digests, UUIDs and
 * words are not, so `cache_key=<sha1>` or `idempotency_key=<uuid>` keep their evidence.
 */
export function looksRandom(value: string): boolean {
  return value.length >= 20 && /^[A-Za-z0-9+/=_-]+$/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value);
}

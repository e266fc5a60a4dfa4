/**
 * Whether a key's name says its value is a secret, read the way people name them: the last word
 * decides (DB_PASSWORD, PGPASSWORD, TWILIO_AUTH_TOKEN, clientSecret, connect.sid), the words
 * before it qualify (an api key is secret, a cache key is not), and suffixes that only say how the
 * value is encoded (SECRET_KEY_BASE, API_KEY_V2) are looked through. Names whose last word says
 * the value is about the secret (password_policy, token_ttl, secret_name, max_tokens) are not
 * secrets.
 */

/**
 * How much the value must look like a secret before it is masked:
 * - `any`: every value that is not a placeholder (the name is unambiguous: password, api key);
 * - `token`: a generated-looking id of letters and digits (session, sid, signature, routing key);
 * - `random`: long mixed-case key material (an unqualified `key` is usually a cache or object key).
 */
export type Strength = 'any' | 'token' | 'random';

export interface SecretName {
  kind: string;
  strength: Strength;
}

/** Vendors whose name before `key`/`token`/`secret` makes it a credential, and names the kind. */
const VENDORS = new Map(
  Object.entries({
    aws: 'aws',
    azure: 'azure',
    gcp: 'gcp',
    google: 'google',
    twilio: 'twilio',
    datadog: 'datadog',
    dd: 'datadog',
    stripe: 'stripe',
    sendgrid: 'sendgrid',
    slack: 'slack',
    github: 'github',
    gh: 'github',
    gitlab: 'gitlab',
    pagerduty: 'pagerduty',
    sentry: 'sentry',
    mailgun: 'mailgun',
    npm: 'npm',
    openai: 'openai',
    anthropic: 'anthropic',
    algolia: 'algolia',
    cloudflare: 'cloudflare',
    heroku: 'heroku',
    okta: 'okta',
    vault: 'vault',
    docker: 'docker',
    shopify: 'shopify',
    newrelic: 'newrelic',
    mapbox: 'mapbox',
    firebase: 'firebase',
    mailchimp: 'mailchimp',
    segment: 'segment',
    telegram: 'telegram',
    discord: 'discord',
  }),
);

/** Words before `key` that make it a credential; they also name the kind (aws-secret-access-key). */
const QUALIFIERS = new Set(
  'api access secret private app application account shared signing sign encryption master client service integration license licence webhook storage subscription ingest ingestion write admin auth session hmac jwt sas ssh secure nonce refresh id csrf xsrf bot oauth personal deploy'.split(
    ' ',
  ),
);

/** `routing_key` is PagerDuty's integration key and also RabbitMQ's `orders.created`: only tokens. */
const TOKEN_QUALIFIERS = new Set(['routing']);

/** A `…Token` that only pages through results. */
const PAGINATION = new Set('page next continuation pagination cursor sync resume marker start'.split(' '));

/**
 * Suffixes that say how a secret is stored or which copy it is, not what it is: look at the word
 * before them (password_confirmation, passwordConfirm, password_again, new_password's twin
 * password_new).
 */
const ENCODING_SUFFIXES = new Set(
  'value b64 base64 hex raw plain plaintext data string str enc encoded encrypted base bytes text current old new prev previous confirmation confirm confirmed again repeat repeated retype verify verification'.split(
    ' ',
  ),
);

/** A key's words in lower case: `DD_API_KEY`, `ddApiKey` and `dd-api-key` are all dd, api, key. */
export function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const isEncodingSuffix = (word: string) => ENCODING_SUFFIXES.has(word) || /^v?\d+$/.test(word);

/** The secret a key names, if any, from its last meaningful word and the word before it. */
export function secretName(key: string): SecretName | undefined {
  const words = wordsOf(key);
  let last = words.length - 1;
  while (last > 0 && isEncodingSuffix(words[last]!)) last--;
  const word = words[last];
  if (word === undefined) return undefined;
  const found = classOfWord(word, words[last - 1]) ?? numberedCopy(word, words[last - 1]);
  return found && { kind: kindName(words.slice(0, last), found.kind), strength: found.strength };
}

/**
 * password2, secret1: a numbered copy of an unambiguous secret. Weaker names stay as they are
 * (`sig2=` in a search engine's referrer is a click signature, not a credential).
 */
function numberedCopy(word: string, before: string | undefined): SecretName | undefined {
  const bare = /^([a-z]{2,64})\d{1,4}$/.exec(word)?.[1];
  const found = bare === undefined ? undefined : classOfWord(bare, before);
  return found?.strength === 'any' ? found : undefined;
}

function classOfWord(word: string, before: string | undefined): SecretName | undefined {
  if (/(?:password|passwd|passphrase|pwd)s?$/.test(word) || word === 'pass' || word === 'pw') return { kind: 'password', strength: 'any' };
  if (word.endsWith('secret')) return { kind: 'secret', strength: 'any' };
  if (word.endsWith('token')) return PAGINATION.has(word.slice(0, -'token'.length)) || (before !== undefined && PAGINATION.has(before)) ? undefined : { kind: 'token', strength: 'any' };
  if (/(?:credentials?|creds)$/.test(word)) return { kind: 'credentials', strength: 'any' };
  if (word === 'jwt') return { kind: word, strength: 'any' };
  if (/(?:sessionid|sessid)$/.test(word) || word === 'sid' || word === 'session' || word === 'sess' || (word === 'id' && before === 'session')) return { kind: 'session', strength: 'token' };
  if (word === 'sig' || word === 'signature') return { kind: 'signature', strength: 'token' };
  if (word === 'auth' || word === 'salt' || word === 'pepper') return { kind: word, strength: 'token' };
  if (word === 'key') return classOfKey(before, 'key');
  if (word.endsWith('key')) {
    // One word such as apikey or accountkey: its qualifier is inside it and names the kind.
    const qualifier = word.slice(0, -'key'.length);
    return classOfKey(qualifier, QUALIFIERS.has(qualifier) ? `${qualifier}-key` : 'key');
  }
  return undefined;
}

function classOfKey(qualifier: string | undefined, kind: string): SecretName | undefined {
  if (qualifier === 'public' || qualifier === 'pub') return undefined;
  if (qualifier !== undefined && (QUALIFIERS.has(qualifier) || VENDORS.has(qualifier))) return { kind, strength: 'any' };
  if (qualifier !== undefined && TOKEN_QUALIFIERS.has(qualifier)) return { kind, strength: 'token' };
  return { kind, strength: 'random' };
}

/** The kind shown in `[REDACTED:kind]`: the class with the vendor and qualifiers named before it. */
function kindName(before: string[], kind: string): string {
  const named: string[] = [];
  for (let i = before.length - 1; i >= 0 && named.length < 3; i--) {
    const word = before[i]!;
    if (word === kind) continue;
    const vendor = VENDORS.get(word);
    if (vendor === undefined && !QUALIFIERS.has(word) && !TOKEN_QUALIFIERS.has(word)) break;
    named.unshift(vendor ?? word);
  }
  return [...named, kind].join('-');
}

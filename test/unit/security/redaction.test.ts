import assert from 'node:assert/strict';
import { redactSecrets } from '../../../src/security/redaction';
import { narrowWideFindings, secretlintScanner } from '../../../src/security/redactionSecretlint';
import { generator } from '../../fixtures/redactionCorpus';
import { PLANTED_SECRETS } from '../../fixtures/secrets';
import { eventsOfType, finished, startHarness, type Harness } from '../../fixtures/harness';
import { scriptedTurns } from '../../fixtures/anthropic-server/scenario';
import { sampleReport } from '../../fixtures/reports';

/** Random-looking values made at run time, so no scanner takes this file for a leak. */
const random = generator(7);
const fake = (n: number, alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789') => random(n, alphabet);
const hex = (n: number) => fake(n, '0123456789abcdef');
const armour = (edge: 'BEGIN' | 'END') => `-----${edge} RSA PRIVATE KEY-----`;

/** Redacts `template` with each `{}` filled by a fresh value; returns the output and the values. */
async function redactFilled(template: string, ...values: string[]): Promise<{ out: string; values: string[] }> {
  let i = 0;
  const text = template.replace(/\{\}/g, () => values[i++]!);
  return { out: (await redactSecrets(text)).text, values };
}

async function assertMasked(template: string, ...values: string[]): Promise<string> {
  const { out } = await redactFilled(template, ...values);
  for (const value of values) assert.ok(!out.includes(value), `${value} survived in ${out}`);
  return out;
}

describe('secret redaction', () => {
  for (const secret of PLANTED_SECRETS) {
    it(`masks ${secret.kind}`, async () => {
      const { text, count } = await redactSecrets(`2026-11-20T14:05:00Z INFO ${secret.line}`);
      assert.ok(!text.includes(secret.value), text);
      assert.ok(count >= 1);
      assert.match(text, /\[REDACTED:[\w-]+\]/);
      assert.match(text, /^2026-11-20T14:05:00Z INFO /, 'the rest of the line is kept');
    });
  }

  it('leaves ordinary log lines alone', async () => {
    const lines = [
      '2026-11-20T14:04:19.747Z ERROR [checkout-api] req=fa2befe2 POST /api/checkout 502 3034ms order=o-365220',
      '{"ts":"2026-11-20T14:02:06.010Z","msg":"HikariPool-1 - configuration: maximumPoolSize=5 minimumIdle=5"}',
      '203.0.113.115 - - [20/Nov/2026:14:04:19 +0000] "POST /api/checkout HTTP/1.1" 502 157',
      'token bucket refilled: 12 tokens available; password policy updated',
    ].join('\n');
    const { text, count } = await redactSecrets(lines);
    assert.equal(count, 0);
    assert.equal(text, lines);
  });

  describe('masks the secret and keeps the evidence around it', () => {
    const cases: [string, (v: string) => string, string, (v: string) => string][] = [
      [
        'a database URL',
        (v) => `db connect failed postgres://checkout:${v}@db.internal:5432/orders`,
        fake(14),
        () => 'db connect failed postgres://checkout:[REDACTED:url-credentials]@db.internal:5432/orders',
      ],
      [
        'a token in a git URL',
        (v) => `https://x-access-token:${v}@github.com/acme/checkout.git`,
        `ghs_${fake(36)}`,
        () => 'https://x-access-token:[REDACTED:github-token]@github.com/acme/checkout.git',
      ],
      ['a session cookie among others', (v) => `Cookie: theme=dark; connect.sid=${v}; lang=en`, `s%3A${fake(24)}.${fake(30)}`, () => 'Cookie: theme=dark; connect.sid=[REDACTED:session]; lang=en'],
      ['an AWS secret key', (v) => `aws_secret_access_key=${v}`, fake(40), () => 'aws_secret_access_key=[REDACTED:aws-secret-access-key]'],
      ['a prefixed password variable', (v) => `DB_PASSWORD=${v}`, fake(16), () => 'DB_PASSWORD=[REDACTED:password]'],
      ['a JSON field', (v) => `{"db_host":"db.internal","db_password":"${v}"}`, fake(16), () => '{"db_host":"db.internal","db_password":"[REDACTED:password]"}'],
      [
        'an Azure connection string',
        (v) => `DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=${v};EndpointSuffix=core.windows.net`,
        `${fake(86, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}==`,
        () => 'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=[REDACTED:account-key];EndpointSuffix=core.windows.net',
      ],
      ['a Sentry DSN', (v) => `SENTRY_DSN=https://${v}@o123456.ingest.sentry.io/456`, hex(32), () => 'SENTRY_DSN=https://[REDACTED:sentry-dsn]@o123456.ingest.sentry.io/456'],
      [
        'a Slack webhook',
        (v) => `POST https://hooks.slack.com/services/T0ACME123/B0ALERTS45/${v} 404`,
        fake(24),
        () => 'POST https://hooks.slack.com/services/T0ACME123/B0ALERTS45/[REDACTED:slack-webhook] 404',
      ],
      ['a PEM block', (v) => `${armour('BEGIN')}\n${v}\n${armour('END')}`, `MIIEowIBAAKCAQEA${fake(48)}`, () => `${armour('BEGIN')}\n[REDACTED:private-key]\n${armour('END')}`],
    ];
    for (const [name, line, value, expected] of cases) {
      it(name, async () => {
        const { text, count } = await redactSecrets(line(value));
        assert.equal(text, expected(value));
        assert.equal(count, 1);
      });
    }
  });

  describe('finds secrets by their key names, prefixes and suffixes included', () => {
    const named = [
      'DB_PASSWORD={}',
      'PGPASSWORD={} PGHOST=db.internal',
      'MYSQL_PWD={}',
      'TWILIO_AUTH_TOKEN={}',
      'STRIPE_WEBHOOK_SECRET={}',
      'SECRET_KEY_BASE={}',
      'DD_API_KEY={} DD_SITE=datadoghq.eu',
      '{"dd_app_key":"{}"}',
      '{"clientSecret":"{}","clientId":"checkout-svc"}',
      '{"password":"{} {} {}"}',
      '{"msg":"config {\\"api_key\\":\\"{}\\"}"}',
      'X-Api-Key: {}',
      'Ocp-Apim-Subscription-Key: {}',
      'spring.datasource.password = {}',
      '      DB_PASSWORD:  {}',
      '/usr/bin/pgbouncer --db-password {} --listen 0.0.0.0:6432',
      '{"name":"DB_PASSWORD","value":"{}"}',
      '<password>{}</password>',
      'GET /orders?customer=c-1&access_token={}&page=2',
      'Server=sql.internal;Database=orders;Uid=checkout;Pwd={};Encrypt=True',
      'PAGERDUTY_ROUTING_KEY={}',
    ];
    for (const template of named) {
      it(template, async () => {
        const values = Array.from({ length: template.split('{}').length - 1 }, () => `${fake(12)}${hex(8)}`);
        const out = await assertMasked(template, ...values);
        const keyName = template.split('{}')[0]!;
        assert.ok(out.startsWith(keyName), `the key stays: ${out}`);
      });
    }

    it('reads a password to its end through separators inside it, and stops at the next pair', async () => {
      const password = `${fake(5)}&${fake(3)};${fake(4)},${fake(3)}`;
      assert.equal((await redactSecrets(`DB_PASSWORD=${password}`)).text, 'DB_PASSWORD=[REDACTED:password]');
      assert.equal((await redactSecrets(`password=${password}&user=bob`)).text, 'password=[REDACTED:password]&user=bob');
      assert.equal((await redactSecrets(`user=a, password=${password}, host=db`)).text, 'user=a, password=[REDACTED:password], host=db');
    });

    it('masks passphrases that look like names or sentences', async () => {
      assert.equal((await redactSecrets('DB_PASSWORD=my.secret.pass')).text, 'DB_PASSWORD=[REDACTED:password]');
      assert.equal((await redactSecrets('{"password":"Summer now is here"}')).text, '{"password":"[REDACTED:password]"}');
      assert.equal((await redactSecrets('password: Tr0ub4dor')).text, 'password: [REDACTED:password]');
      assert.equal((await redactSecrets('password=\\Tr0ub4dor user=bob')).text, 'password=[REDACTED:password] user=bob');
    });

    it('leaves names that are about a secret, not of one, alone', async () => {
      const lines = [
        'password_policy=strict password_min_length=12 password_file=/run/secrets/db_password',
        'token_ttl=3600 max_tokens=4096 token_type=Bearer nextPageToken=CiAKGjBpNDd2Nmp2Zml2cXRwYjBp',
        'secret_name=db-creds secretName: db-creds',
        'cache_key=cart:42:v2 routing_key=orders.created public_key=ssh-ed25519',
        'PWD=/app OLDPWD=/ session_id=42',
        "Access denied for user 'app'@'10.0.0.5' (using password: YES)",
        'invalid token: signature verification failed',
        'api_key=${API_KEY} password=******** token=[REDACTED] password = $cred.Password',
        'Skipping AppWindowToken{df0798e token=Token{78af589 ActivityRecord{3b04890}}} Token: Token { kind: ContainerToken }',
        'Bad activity token: android.os.BinderProxy@2bd79ce stream/token: com.apple.xpc.activity/4505: 132',
        'sessionid:0x14ed93111f20027 dsn=4.0.0 TTY=pts/6 ; PWD=/auto/builds/checkout/test ; USER=root',
      ].join('\n');
      const { text, count } = await redactSecrets(lines);
      assert.equal(text, lines);
      assert.equal(count, 0);
    });
  });

  describe('URL credentials', () => {
    it('masks the password, also with an empty user name or an @ inside it, and keeps the rest', async () => {
      const p = () => `${fake(6)}@${fake(6)}`;
      const out = await assertMasked(
        'redis://:{}@cache.internal:6379/0 postgres://checkout:{}@db.internal:5432/orders mongodb+srv://svc:{}@cluster0.ab1cd.mongodb.net/orders?retryWrites=true',
        p(),
        p(),
        p(),
      );
      assert.match(
        out,
        /^redis:\/\/:\[REDACTED:url-credentials\]@cache\.internal:6379\/0 postgres:\/\/checkout:\[REDACTED:url-credentials\]@db\.internal:5432\/orders mongodb\+srv:\/\/svc:\[REDACTED:url-credentials\]@cluster0\.ab1cd\.mongodb\.net\/orders\?retryWrites=true$/,
      );
    });

    it('masks a DSN without a scheme, and a token used as the user name', async () => {
      const out = await assertMasked('dsn=checkout:{}@tcp(mysql.internal:3306)/orders https://{}@sentry.acme.internal/3', fake(14), hex(32));
      assert.match(out, /@tcp\(mysql\.internal:3306\)\/orders https:\/\/\[REDACTED:sentry-dsn\]@sentry\.acme\.internal\/3$/);
    });

    it('keeps plain user names', async () => {
      const text = 'ssh://git@github.com:22/acme/checkout.git https://deploy@registry.acme.io/v2/';
      assert.equal((await redactSecrets(text)).text, text);
    });
  });

  describe('credentials on command lines and in Basic authentication', () => {
    it('curl -u, mysql -p, .netrc and Basic outside a header', async () => {
      const basic = Buffer.from(`ci:${fake(18)}`).toString('base64');
      const out = await assertMasked(
        'curl -u deploy:{} https://api.acme.io\nmysqldump -u backup -p{} orders\nmachine api.acme.io login deploy password {}\n{"auth":"Basic {}"}',
        fake(14),
        fake(14),
        fake(14),
        basic,
      );
      assert.equal(
        out,
        'curl -u deploy:[REDACTED:curl-credentials] https://api.acme.io\nmysqldump -u backup -p[REDACTED:mysql-password] orders\nmachine api.acme.io login deploy password [REDACTED:netrc-password]\n{"auth":"Basic [REDACTED:basic-auth]"}',
      );
    });

    it('keeps prompts, templates and words after Basic', async () => {
      const text = 'mysql -u readonly -p orders\ncurl -u "$USER:$PASSWORD" https://api.acme.io\nWWW-Authenticate: Basic realm="registry"\nBasic authentication failed for user deploy';
      assert.equal((await redactSecrets(text)).text, text);
    });
  });

  describe('token shapes of common services', () => {
    const shapes: [string, () => string][] = [
      ['SendGrid (with - and _)', () => `SG.${fake(8)}-${fake(6)}_${fake(6)}.${fake(20)}-${fake(10)}_${fake(12)}`],
      ['Stripe webhook secret', () => `whsec_${fake(32)}`],
      ['Twilio API key', () => `SK${hex(32)}`],
      ['Twilio account SID', () => `AC${hex(32)}`],
      ['Mailgun key', () => `key-${hex(32)}`],
      ['GitLab token', () => `glpat-${fake(20)}`],
      ['Hugging Face token', () => `hf_${fake(34, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')}`],
      ['Vault token', () => `hvs.${fake(92)}`],
      ['DigitalOcean token', () => `dop_v1_${hex(64)}`],
      ['Shopify token', () => `shpat_${hex(32)}`],
      ['Linear key', () => `lin_api_${fake(40)}`],
      ['Databricks token', () => `dapi${hex(32)}`],
      ['Google OAuth token', () => `ya29.${fake(60)}`],
      ['Telegram bot token', () => `${fake(10, '0123456789')}:AA${fake(33)}`],
    ];
    for (const [name, value] of shapes) {
      it(name, async () => {
        const out = await assertMasked('2026-11-20T14:05:00Z ERROR upstream rejected {} (401)', value());
        assert.match(out, /^2026-11-20T14:05:00Z ERROR upstream rejected \[REDACTED:[\w-]+\] \(401\)$/);
      });
    }

    it('webhook URLs keep their host and ids', async () => {
      const out = await assertMasked('https://discord.com/api/webhooks/1180000000000000001/{} https://api.telegram.org/bot{}/sendMessage', fake(68), `${fake(10, '0123456789')}:AA${fake(33)}`);
      assert.match(out, /^https:\/\/discord\.com\/api\/webhooks\/1180000000000000001\/\[REDACTED:discord-webhook\] https:\/\/api\.telegram\.org\/bot\[REDACTED:telegram-bot-token\]\/sendMessage$/);
    });
  });

  describe('private keys without their BEGIN line', () => {
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    const body = () => [`MIIEowIBAAKCAQEA${fake(48, B64)}`, fake(64, B64), fake(64, B64), `${fake(30, B64)}==`];

    it('masks body lines read from the middle of a key, down to the short last line', async () => {
      const lines = body().slice(1);
      const out = await assertMasked(`logs/app.log lines 41-44:\n41| {}\n42| {}\n43| {}\n44| 2026-11-20T14:05:09Z INFO tls reloaded`, ...lines);
      assert.equal(out, 'logs/app.log lines 41-44:\n41| [REDACTED:private-key]\n42| [REDACTED:private-key]\n43| [REDACTED:private-key]\n44| 2026-11-20T14:05:09Z INFO tls reloaded');
    });

    it('masks one body line found by a search, a bare 64-character line, and the lines above an END line', async () => {
      const [first, second, third, last] = body();
      await assertMasked('== logs/app.log ==\n12: {}', first!);
      await assertMasked('{}', second!);
      const out = await assertMasked(`{}\n{}\n${armour('END')}`, third!, last!);
      assert.ok(out.endsWith(armour('END')));
    });

    it('masks a key whose END line is missing, and one inside a JSON string', async () => {
      const lines = body();
      await assertMasked(`${armour('BEGIN')}\n{}\n{}`, lines[0]!, lines[1]!);
      const out = await assertMasked(`{"private_key":"${armour('BEGIN')}\\n{}\\n{}\\n${armour('END')}\\n","client_email":"svc@acme.iam.gserviceaccount.com"}`, lines[0]!, lines[3]!);
      assert.match(out, /"client_email":"svc@acme\.iam\.gserviceaccount\.com"/);
    });

    it('tells a certificate (public, evidence in a TLS error) from a private key by its first bytes', async () => {
      const certificate = `MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa${fake(28, B64)}`;
      const text = `tls handshake failed peer_cert=${certificate}`;
      assert.equal((await redactSecrets(text)).text, text);
      await assertMasked('leaked key={}', `MIIEvQIBADANBgkqhkiG9w0BAQEFAASC${fake(44, B64)}`);
    });

    it('leaves hashes, ids, public keys and short base64 alone', async () => {
      const lines = [
        `commit ${hex(40)}`,
        `sha256:${hex(64)}`,
        `trace_id=${hex(32)} span_id=${hex(16)} request_id=6f1c2b3a-4d5e-4f60-8a9b-0c1d2e3f4a5b`,
        'dGVzdA== aGVsbG8gd29ybGQ= Y2hlY2tvdXQ=',
        `integrity="sha384-${fake(64, B64)}"`,
        `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${fake(43, B64)} deploy@ci`,
        `x-amz-id-2: ${fake(76, B64)}`,
        'https://acme.webhook.office.com/webhookb2/a1a84400-76e5-4221-a2da-fdcedfd64766/IncomingWebhookStatus/c3d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5',
      ].join('\n');
      assert.equal((await redactSecrets(lines)).text, lines);
    });
  });

  describe('text in a log cannot switch redaction off', () => {
    const slack = () => `xoxb-${fake(12, '0123456789')}-${fake(13, '0123456789')}-${fake(24)}`;
    for (const [where, template] of [
      ['before the secrets', '// secretlint-disable\n2026-11-20T14:05:00Z alert via {}\n2026-11-20T14:05:01Z push with {}'],
      ['on the secret line', '2026-11-20T14:05:00Z alert via {} // secretlint-disable-line\n# secretlint-disable-line push with {}'],
      ['after a secret, for the next line', '2026-11-20T14:05:00Z alert via {}\n/* secretlint-disable-next-line */\n2026-11-20T14:05:01Z push with {}\n/* secretlint-enable */'],
    ]) {
      it(`a secretlint directive ${where}`, async () => {
        await assertMasked(template!, slack(), `ghp_${fake(36)}`);
      });
    }

    it('secretlint itself ignores its directives in log text', async () => {
      const scan = await secretlintScanner();
      const text = `2026-11-20T14:05:00Z alert via ${slack()}`;
      const directive = '// secretlint-disable\n';
      const plain = await scan(text);
      assert.equal(plain.length, 1, 'precondition: secretlint finds the token');
      assert.deepEqual(
        await scan(directive + text),
        plain.map((s) => ({ ...s, start: s.start + directive.length, end: s.end + directive.length })),
      );
    });
  });

  describe('control characters do not split detection', () => {
    it('a carriage return ends the value and stays', async () => {
      const out = await assertMasked('DB_PASSWORD={}\r\nDB_HOST=db.internal\r\n', fake(14));
      assert.equal(out, 'DB_PASSWORD=[REDACTED:password]\r\nDB_HOST=db.internal\r\n');
    });

    it('terminal colour codes between a key and its value', async () => {
      const out = await assertMasked('\u001b[1mdb_password\u001b[0m={} \u001b[32mpool=5\u001b[0m', fake(14));
      assert.equal(out, '\u001b[1mdb_password\u001b[0m=[REDACTED:password] \u001b[32mpool=5\u001b[0m');
    });

    it('JSON-escaped line breaks after a value', async () => {
      const out = await assertMasked('{"msg":"env: DB_PASSWORD={}\\nREDIS_HOST=cache.internal\\n"}', fake(14));
      assert.equal(out, '{"msg":"env: DB_PASSWORD=[REDACTED:password]\\nREDIS_HOST=cache.internal\\n"}');
    });
  });

  describe('narrowing secretlint findings', () => {
    const precise = [{ start: 20, end: 30, kind: 'url-credentials' }];
    it('drops a wide finding that a precise span overlaps, also a misaligned one', () => {
      assert.deepEqual(narrowWideFindings([{ start: 0, end: 60, kind: 'database-connection-string' }], precise), []);
      assert.deepEqual(narrowWideFindings([{ start: 0, end: 25, kind: 'aws' }], precise), []);
    });
    it('keeps a wide finding nothing else explains, and every other finding', () => {
      const unexplained = { start: 40, end: 90, kind: 'basicauth' };
      const token = { start: 20, end: 30, kind: 'github' };
      assert.deepEqual(narrowWideFindings([unexplained, token], precise), [unexplained, token]);
    });
  });

  describe('end to end: no planted secret reaches any request to the API', () => {
    let h: Harness;
    after(async () => h.dispose());

    it('search_logs and read_log results are redacted and say how many values were', async () => {
      const log = PLANTED_SECRETS.map((s, i) => `2026-11-20T14:05:${String(i).padStart(2, '0')}Z ERROR ${s.line}`).join('\n');
      h = await startHarness({
        files: { 'logs/app.log': log },
        scenario: scriptedTurns([
          {
            content: [
              { type: 'tool_use', name: 'search_logs', input: { query: 'ERROR', limit: 200 } },
              { type: 'tool_use', name: 'read_log', input: { file: 'logs/app.log', start_line: 1, end_line: 50 } },
            ],
          },
          { content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] },
        ]),
      });
      const { events } = await h.run({ description: 'what leaked?' });
      assert.equal(finished(events).reason, 'report');
      const sent = JSON.stringify(h.server.messageRequests);
      for (const secret of PLANTED_SECRETS) assert.ok(!sent.includes(secret.value), `${secret.kind} reached the API`);
      const results = eventsOfType(events, 'tool_result').filter((r) => r.name !== 'submit_triage_report');
      for (const r of results) {
        assert.ok((r.redactions ?? 0) >= PLANTED_SECRETS.length, `${r.name}: ${r.redactions}`);
        assert.match(r.preview, /\d+ secret values redacted before this result left the machine/);
      }
    });
  });
});

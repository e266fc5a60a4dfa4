import assert from 'node:assert/strict';
import { redactSecrets } from '../../../src/security/redaction';

/**
 * Lines a review found leaking a secret or losing evidence, each with the fix's expectation:
 * the secret is gone, whole, and what surrounds it is exactly as it was.
 */
async function assertRedacts(text: string, expected: string): Promise<void> {
  assert.equal((await redactSecrets(text)).text, expected);
}

const kept = async (text: string) => assertRedacts(text, text);

describe('redaction after review', () => {
  describe('a value starting with $ is a template only when it is exactly a variable', () => {
    it('masks passwords that start with $', async () => {
      await assertRedacts('DB_PASSWORD=$uperS3cret', 'DB_PASSWORD=[REDACTED:password]');
      await assertRedacts('{"user":"bob","password":"$Tr0ngPass"}', '{"user":"bob","password":"[REDACTED:password]"}');
      await assertRedacts('password: $ecretPa55', 'password: [REDACTED:password]');
      await assertRedacts('{"passwd":"${secretValue}x9"}', '{"passwd":"[REDACTED:password]"}');
    });
    it('keeps variables: upper case, snake case, dotted, with defaults', async () => {
      for (const line of ['password: ${DB_PASSWORD}', 'DB_PASSWORD=${DB_PASSWORD:-}', 'password=$DB_PASSWORD', 'password=$db_password', '$Password = $cred.Password', 'password: $env:SQL_PASSWORD'])
        await kept(line);
    });
  });
});

describe('redaction after review: key names', () => {
  it('reads through confirmation, repeat and numbered copies of a password', async () => {
    for (const key of ['password2', 'password_confirmation', 'passwordConfirm', 'password_again', 'password_repeat', 'passwordVerify', 'admin_password_2']) {
      await assertRedacts(`${key}=hunter22x user=bob`, `${key}=[REDACTED:${key.startsWith('admin') ? 'admin-password' : 'password'}] user=bob`);
    }
  });
  it('masks a Rails parameters dump whole', async () => {
    await assertRedacts(
      'Parameters: {"user"=>{"email"=>"a@b.c", "password"=>"hunter22x", "password_confirmation"=>"hunter22x"}}',
      'Parameters: {"user"=>{"email"=>"a@b.c", "password"=>"[REDACTED:password]", "password_confirmation"=>"[REDACTED:password]"}}',
    );
  });
  it('still leaves names about a password alone', async () => {
    for (const line of ['password_policy=strong min_length=12', 'token_ttl=3600', 'max_tokens=4096 input_tokens=12000', 'secret_name=checkout-db']) await kept(line);
  });
});

describe('redaction after review: numbered names', () => {
  it('keeps a numbered signature in a referrer (sig2=), which is no credential', async () => {
    await kept('"http://www.google.com/url?sa=t&usg=AFQjCNE3V_aCf3-gfNcbS924S6jZ6FqffA&sig2=Wd7bB3lYXvNjE0Zq1RwaQw" "Mozilla/5.0"');
  });
});

describe('redaction after review: values under secret keys', () => {
  it("masks an unquoted value of several words on its key's own line, to the line's end", async () => {
    await assertRedacts('DB_PASSWORD=correct horse battery staple', 'DB_PASSWORD=[REDACTED:password]');
    await assertRedacts('DB_PASSWORD=correct horse battery staple\nDB_HOST=db.internal', 'DB_PASSWORD=[REDACTED:password]\nDB_HOST=db.internal');
    await assertRedacts('- name: DB_PASSWORD\n  value: correct horse battery', '- name: DB_PASSWORD\n  value: [REDACTED:password]');
    await assertRedacts('password: letmein now', 'password: [REDACTED:password]');
    await assertRedacts('  password: open sesame 42 # rotated in May', '  password: [REDACTED:password] # rotated in May');
    await assertRedacts('export SMTP_PASSWORD=my smtp pass', 'export SMTP_PASSWORD=[REDACTED:password]');
  });
  it('stops at the next logfmt pair, and keeps sentences and templates as they were', async () => {
    await assertRedacts('password=Hunter22x user=bob host=db.internal', 'password=[REDACTED:password] user=bob host=db.internal');
    await assertRedacts('password=hunter&22;x&user=bob', 'password=[REDACTED:password]&user=bob');
    await assertRedacts('password=$DB_PASSWORD psql -h db.internal', 'password=$DB_PASSWORD psql -h db.internal');
    for (const line of [
      'password: required by policy',
      'jwt: malformed token',
      'credentials: loaded from /var/run/secrets/token',
      'token: expired at 2024-05-01T12:00:00Z',
      'auth: user=bob method=oidc',
    ])
      await kept(line);
    // Mid-line, a value still ends at its first space.
    await assertRedacts('login failed: password=Hunter22x for bob', 'login failed: password=[REDACTED:password] for bob');
  });
  it('masks quoted items of a list under a secret key', async () => {
    await assertRedacts("data=<QueryDict: {'password': ['hunter22x']}>", "data=<QueryDict: {'password': ['[REDACTED:password]']}>");
    await assertRedacts("{'db': 'orders', 'passwords': ['Xy7!passA', 'Xy7!passB']}", "{'db': 'orders', 'passwords': ['[REDACTED:password]', '[REDACTED:password]']}");
  });
  it('masks secrets in a URL-encoded query string inside another', async () => {
    await assertRedacts('GET /login?form=user%3Dbob%26password%3Dhunter22x%26remember%3D1', 'GET /login?form=user%3Dbob%26password%3D[REDACTED:password]%26remember%3D1');
    await assertRedacts('/cb?data=token%3DAb12Cd34Ef56Gh78Ij90%26exp%3D3600', '/cb?data=token%3D[REDACTED:token]%26exp%3D3600');
  });
});

describe('redaction after review: evidence under secret-sounding keys', () => {
  it('keeps the names in AWS ARNs, whose secret: is a resource type', async () => {
    await kept(
      'AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/checkout/i-0abc is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/checkout/db-AbCdEf',
    );
    await kept('DB_SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf');
  });
  it("keeps a Kubernetes secret's or a vault path's name, but not a secret that only has dashes", async () => {
    await kept('secret: checkout-db-credentials (namespace prod) not found');
    await kept('secret: payments/stripe (namespace billing) not found');
    await assertRedacts('secret: s3cr3t-x9k2-pass', 'secret: [REDACTED:secret]');
  });
  it('keeps timestamps under session keys', async () => {
    await kept('session_id=2024-05-01T12:00:00Z');
    await kept('{"session":"2024-05-01T12:00:00.000Z","user":42}');
    await kept('{"session":"2024-05-01T12:00:00+00:00","ttl":3600}');
  });
  it('keeps a log level after a credentials key: a message, not a value', async () => {
    await kept('2015-04-24T21:08:10.313913+00:00 err rbd  [22968]lotuscreds:ERROR:Could not retrieve lotus account information from db');
  });
});

describe('redaction after review: command lines, SMTP and encoded URLs', () => {
  it('masks passwords given as short flags to docker login, redis-cli and sshpass', async () => {
    await assertRedacts('+ docker login -u deploy -p hunter22x registry.acme.io', '+ docker login -u deploy -p [REDACTED:docker-password] registry.acme.io');
    await assertRedacts('docker login -p hunter22x ghcr.io', 'docker login -p [REDACTED:docker-password] ghcr.io');
    await assertRedacts('$ redis-cli -h cache.internal -p 6379 -a hunter22x ping', '$ redis-cli -h cache.internal -p 6379 -a [REDACTED:redis-password] ping');
    await assertRedacts('redis-cli -a Hunter22x --no-auth-warning info', 'redis-cli -a [REDACTED:redis-password] --no-auth-warning info');
    await assertRedacts('sshpass -p hunter22x ssh deploy@10.0.4.12', 'sshpass -p [REDACTED:sshpass-password] ssh deploy@10.0.4.12');
    await assertRedacts("sshpass -p'Hunter22x' scp backup.tgz deploy@10.0.4.12:/srv", "sshpass -p'[REDACTED:sshpass-password]' scp backup.tgz deploy@10.0.4.12:/srv");
  });
  it('keeps the flags that are not passwords', async () => {
    for (const line of ['redis-cli -h cache.internal -p 6379 ping', 'docker login -u deploy --password-stdin ghcr.io', 'sshpass -e ssh deploy@host']) await kept(line);
  });
  it('masks SMTP AUTH PLAIN credentials', async () => {
    await assertRedacts('C: AUTH PLAIN AGJvYgBodW50ZXIyMng=\nS: 235 2.7.0 Authentication successful', 'C: AUTH PLAIN [REDACTED:smtp-credentials]\nS: 235 2.7.0 Authentication successful');
  });
  it('masks the password of a URL percent-encoded inside another', async () => {
    await assertRedacts('redirect_uri=https%3A%2F%2Fbob%3Ahunter22x%40git.acme.io%2Frepo', 'redirect_uri=https%3A%2F%2Fbob%3A[REDACTED:url-credentials]%40git.acme.io%2Frepo');
    await kept('next=https%3A%2F%2Fgit.acme.io%3A8443%2Frepo%40main');
  });
});

describe('redaction after review: PEM blocks', () => {
  const armour = (edge: 'BEGIN' | 'END', label: string) => ['-----', edge, ' ', label, '-----'].join('');
  const ecBody = ['MHcCAQEE' + 'IHoDOVT682ocFznNXelansXuD33UCKcaPe/beh5HET/KoAoGCCqGSM49', 'AwEHoUQDQgAE9nqIDH8uEaMtocQN9Jwr9PGFFX5moHSDwzEcTtI91gvAQOnkP9tj', 'gwRIv6c74NCwgbzpi8DG/FEJNN87vBq5iw=='];
  const certBody = [
    'MIIC+TCCAeGgAwIBAgIUFAUwlm6XK60un4cxPOzQxUWbZvUwDQYJKoZIhvcNAQEL',
    'BQAwDDEKMAgGA1UEAwwBeDAeFw0yNjExMjIwNDIzMzJaFw0yNjExMjMwNDIzMzJa',
    'MAwxCjAIBgNVBAMMAXgwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQDg',
    'ghyBVg+0Cb/Y7kgHOJ0UWrvmIVb5/gVg/45OfM2O09GZud+bI9eNO+XiVS8X0DYS',
  ];
  const cert = [armour('BEGIN', 'CERTIFICATE'), ...certBody, armour('END', 'CERTIFICATE')].join('\n');

  it('masks the last body line when each line, END included, carries a log prefix', async () => {
    const prefix = '2024-05-01T12:00:00Z ERROR config dump: ';
    const text = [ecBody[2], armour('END', 'EC PRIVATE KEY')].map((l) => prefix + l).join('\n');
    await assertRedacts(text, `${prefix}[REDACTED:private-key]\n${prefix}${armour('END', 'EC PRIVATE KEY')}`);
  });
  it('keeps a whole certificate block and a public key block as evidence', async () => {
    await kept(`x509: certificate has expired; the server sent:\n${cert}`);
    await kept(JSON.stringify({ cert }));
    await kept([armour('BEGIN', 'PUBLIC KEY'), ecBody[1], ecBody[2], armour('END', 'PUBLIC KEY')].join('\n'));
  });
  it('still masks a private key next to a certificate in the same bundle', async () => {
    const text = `${cert}\n${[armour('BEGIN', 'EC PRIVATE KEY'), ...ecBody, armour('END', 'EC PRIVATE KEY')].join('\n')}`;
    const { text: out } = await redactSecrets(text);
    assert.ok(out.startsWith(cert), 'the certificate stays');
    for (const line of ecBody) assert.ok(!out.includes(line), `${line} survived`);
  });
});

describe('redaction after review: real logs', () => {
  it('keeps a PowerShell variable that ends a statement inside a JSON string', async () => {
    await kept('{"Message":"$p = @{\\n  SafeModeAdministratorPassword = $SafemodeAdministratorPassword.Password;\\n  NoRebootOnCompletion = $true;\\n}"}');
  });
});

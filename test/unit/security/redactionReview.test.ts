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
      for (const line of ['password: ${DB_PASSWORD}', 'DB_PASSWORD=${DB_PASSWORD:-}', 'password=$DB_PASSWORD', 'password=$db_password', '$Password = $cred.Password', 'password: $env:SQL_PASSWORD']) await kept(line);
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

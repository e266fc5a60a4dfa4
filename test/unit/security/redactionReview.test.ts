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

import assert from 'node:assert/strict';
import { redactSecrets } from '../../../src/security/redaction';
import { REDACTION_CORPUS } from '../../fixtures/redactionCorpus';
import { HELD_OUT } from '../../fixtures/redactionHeldOut';

/**
 * The second review's findings: multi-word values behind the line prefixes the log tools print,
 * connection strings, a run-on value that swallowed the evidence after it, SQL-style quotes, and
 * a second pass over redacted text.
 */
async function assertRedacts(text: string, expected: string): Promise<void> {
  assert.equal((await redactSecrets(text)).text, expected);
}

describe('redaction after the second review: multi-word values behind a tool line prefix', () => {
  // search_logs prints `${n}: [${iso} ${level}] ${line}` for a match and `${n}- ${line}` around it
  // (src/tools/logs/searchLogs.ts); read_log prints `${n}| ${line}` (src/tools/logs/readLog.ts).
  const secret = 'correct horse battery staple';
  it('masks every word after search_logs match and context prefixes', async () => {
    await assertRedacts(
      `== config/.env ==\n11- DB_HOST=db.prod\n12: DB_PASSWORD=${secret}\n13- API_TOKEN=${secret}`,
      '== config/.env ==\n11- DB_HOST=db.prod\n12: DB_PASSWORD=[REDACTED:password]\n13- API_TOKEN=[REDACTED:api-token]',
    );
  });
  it('masks every word after the bracketed time and level search_logs adds', async () => {
    await assertRedacts(`12: [2026-11-20T14:05:00.000Z error] DB_PASSWORD=${secret}`, '12: [2026-11-20T14:05:00.000Z error] DB_PASSWORD=[REDACTED:password]');
    await assertRedacts(`12: [2026-11-20T14:05:00.000Z] password: letmein now`, '12: [2026-11-20T14:05:00.000Z] password: [REDACTED:password]');
  });
  it('masks every word after read_log prefixes', async () => {
    await assertRedacts(`12| DB_PASSWORD=${secret}\n13| DB_HOST=db.prod`, '12| DB_PASSWORD=[REDACTED:password]\n13| DB_HOST=db.prod');
    await assertRedacts(`123456| password: ${secret}`, '123456| password: [REDACTED:password]');
  });
  it('still reads prose after a prefix as prose', async () => {
    for (const line of ['12| password: required by policy', '12: [2026-11-20T14:05:00.000Z warn] jwt: malformed token']) await assertRedacts(line, line);
  });
});

describe('redaction after the second review: connection strings', () => {
  it('reads a value up to the next `;` and keeps the other pairs', async () => {
    await assertRedacts('Server=db;Database=orders;User Id=app;Password=P@ss w0rd!;Encrypt=True', 'Server=db;Database=orders;User Id=app;Password=[REDACTED:password];Encrypt=True');
    await assertRedacts(
      'Server=tcp:acme.database.windows.net,1433;Initial Catalog=payments;User ID=sa;Password=P@ss w0rd!;Encrypt=True',
      'Server=tcp:acme.database.windows.net,1433;Initial Catalog=payments;User ID=sa;Password=[REDACTED:password];Encrypt=True',
    );
    await assertRedacts('conn: Data Source=db;Pwd=two words here;Initial Catalog=x', 'conn: Data Source=db;Pwd=[REDACTED:password];Initial Catalog=x');
  });
});

describe('redaction after the second review: a run-on value stops where the evidence starts', () => {
  it('keeps prose, a timestamp and a parenthesis after a value that starts the line', async () => {
    await assertRedacts('token=abc123def456 rejected by upstream after 3 retries', 'token=[REDACTED:token] rejected by upstream after 3 retries');
    await assertRedacts('passwd=S3cret! 2024-05-14T03:22:17Z login ok', 'passwd=[REDACTED:password] 2024-05-14T03:22:17Z login ok');
    await assertRedacts('api_key=abc123def456 (expired)', 'api_key=[REDACTED:api-key] (expired)');
    await assertRedacts('password=hunter2x from 10.1.2.3 denied', 'password=[REDACTED:password] from 10.1.2.3 denied');
    await assertRedacts('password=hunter2x 10.1.2.3 denied', 'password=[REDACTED:password] 10.1.2.3 denied');
    await assertRedacts('password=hunter2x https://db.prod/login failed', 'password=[REDACTED:password] https://db.prod/login failed');
  });
  it('still masks a passphrase of several words whole', async () => {
    await assertRedacts('DB_PASSWORD=correct horse battery staple', 'DB_PASSWORD=[REDACTED:password]');
  });
});

describe('redaction after the second review: SQL-style quotes', () => {
  it("reads '' inside single quotes as a quote", async () => {
    await assertRedacts("password='it''s complex' user=x", "password='[REDACTED:password]' user=x");
  });
});

describe('redaction after the second review: idempotent', () => {
  const twice = async (text: string) => {
    const first = await redactSecrets(text);
    const second = await redactSecrets(first.text);
    return { first, second };
  };
  it('does not mask or count again what is already masked', async () => {
    for (const line of ['DATABASE_URL=postgres://payments:[REDACTED:url-credentials]@db.prod.internal:5432/payments', 'password=[REDACTED:password] user=bob', 'DB_PASSWORD=[REDACTED:password]']) {
      const r = await redactSecrets(line);
      assert.deepEqual(r, { text: line, count: 0 }, line);
    }
  });
  it('redact(redact(x)) is redact(x), with nothing counted the second time, over the corpus and the held-out set', async () => {
    const failures: string[] = [];
    for (const { text } of [...REDACTION_CORPUS, ...HELD_OUT]) {
      const { first, second } = await twice(text);
      if (second.text !== first.text || second.count !== 0) failures.push(`${JSON.stringify(first.text.slice(0, 160))}\n  → ${JSON.stringify(second.text.slice(0, 160))} (count ${second.count})`);
    }
    const whole = await twice(REDACTION_CORPUS.map((e) => e.text).join('\n'));
    if (whole.second.text !== whole.first.text || whole.second.count !== 0) failures.push(`the corpus as one text (count ${whole.second.count})`);
    assert.deepEqual(failures, []);
  });
});

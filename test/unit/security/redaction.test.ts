import assert from 'node:assert/strict';
import { redactSecrets } from '../../../src/security/redaction';
import { PLANTED_SECRETS } from '../../fixtures/secrets';
import { eventsOfType, finished, startHarness, type Harness } from '../../fixtures/harness';
import { scriptedTurns } from '../../fixtures/anthropic-server/scenario';
import { sampleReport } from '../../fixtures/reports';

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

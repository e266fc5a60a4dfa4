import assert from 'node:assert/strict';
import { miningAccuracy } from '../../fixtures/loghub/evaluate';
import { LOGHUB_SYSTEMS, SHARED_LOGS, hasLoghub } from '../../fixtures/loghub/groundTruth';

describe('template mining on raw Loghub-2k lines, the way summarize_log mines them', function () {
  this.timeout(60_000);
  before(function () {
    if (!hasLoghub()) {
      console.log(`    (skipped: the shared Loghub corpus is not at ${SHARED_LOGS})`);
      this.skip();
    }
  });

  it('groups above 0.94 on average and above 0.80 on every system', async () => {
    const results = await Promise.all(LOGHUB_SYSTEMS.map((s) => miningAccuracy(s)));
    const average = results.reduce((a, r) => a + r.raw, 0) / results.length;
    assert.ok(average >= 0.94, `average GA ${average.toFixed(3)}`);
    for (const r of results) assert.ok(r.raw >= 0.8, `${r.system}: GA ${r.raw.toFixed(3)}`);
  });
});

import assert from 'node:assert/strict';
import { parsingAccuracy } from '../../fixtures/loghub/evaluate';
import { LOGHUB_SYSTEMS, SHARED_LOGS, expectedTime, hasLoghub, matchesExpected, readStructured } from '../../fixtures/loghub/groundTruth';

describe('timestamp and level parsing against Loghub ground truth', function () {
  before(function () {
    if (!hasLoghub()) {
      console.log(`    (skipped: the shared Loghub corpus is not at ${SHARED_LOGS}; set INCIDENT_TRIAGE_SHARED_LOGS to run these)`);
      this.skip();
    }
  });

  it('the comparison itself rejects a timestamp one second off', () => {
    const row = readStructured('HDFS')[0]!;
    const expected = expectedTime('HDFS', row);
    const exact = Date.UTC(2008, 10, 9, 20, 36, 15);
    assert.ok(matchesExpected(exact, expected));
    assert.ok(!matchesExpected(exact + 1000, expected));
  });

  for (const system of LOGHUB_SYSTEMS) {
    it(`${system}: every line's timestamp${['HPC', 'HealthApp', 'Linux', 'Mac', 'OpenSSH', 'Proxifier', 'Thunderbird'].includes(system) ? '' : ' and level'}`, async () => {
      const result = await parsingAccuracy(system);
      assert.equal(result.lines, 2000);
      assert.equal(result.timestamps, 1, result.firstMiss);
      if (result.levels !== undefined) assert.equal(result.levels, 1);
    });
  }
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { acceptReport } from '../../../src/agent/evidence/checkEvidence';
import { checkoutReport } from '../../../src/demo/checkoutIncident';
import { check } from './fixture';

const SAMPLE = path.resolve(__dirname, '../../../samples/checkout-incident');

describe("the demo's report against the sample workspace", () => {
  it('verifies 8 of 8, its timeline agrees, and nothing is capped', async () => {
    const result = await check(SAMPLE, checkoutReport);
    assert.deepEqual(result.failures, []);
    assert.deepEqual(result.report.verification, { verified: 8, moved: 0, unverified: 0, timelineDisagreements: 0, resubmitted: false });
    assert.deepEqual(
      result.report.timeline.map((t) => t.check?.status),
      [undefined, 'agrees', 'agrees', 'agrees', 'agrees', 'agrees', undefined],
    );
    assert.equal(acceptReport(result, false).confidence, checkoutReport.confidence);
  });
});

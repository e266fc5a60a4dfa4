import assert from 'node:assert/strict';
import type { VerifiedEvidence, VerifiedReport } from '../../../src/shared/report';
import { confidenceText, evidenceLabel, evidenceTarget, resubmittedNote, verificationSummary, verificationText } from '../../../src/shared/reportText';
import { mixedReport, sampleReport, verifiedReport } from '../../fixtures/reports';

const withSummary = (summary: Partial<VerifiedReport['verification']>, report: VerifiedReport = verifiedReport()): VerifiedReport => ({
  ...report,
  verification: { ...report.verification, ...summary },
});

describe('the words of a verified report', () => {
  const [verified, moved, movedAway, unverifiedLine, metric, deploy, unverifiedCommit] = mixedReport().evidence as [VerifiedEvidence, ...VerifiedEvidence[]];

  it('labels each kind of evidence, a moved line where it really is', () => {
    assert.deepEqual(
      [verified, moved, movedAway, unverifiedLine, metric, deploy, unverifiedCommit].map((e) => evidenceLabel(e!)),
      [
        'logs/payments/payments.log:107',
        'logs/payments/payments.log:52',
        'logs/payments/payments.log.1.gz:9',
        'config/payments.yaml:3',
        'latency_p95 of payments = 2.9 at 2026-11-20T14:05:00Z',
        'deploy payments-v2.14',
        'commit a1b2c3d',
      ],
    );
  });

  it('says what the check found, keeping the cited place when the text moved', () => {
    assert.deepEqual(
      [verified, moved, movedAway, unverifiedLine, unverifiedCommit].map((e) => verificationText(e!)),
      [
        'verified',
        'moved to line 52 (cited line 40)',
        'moved to logs/payments/payments.log.1.gz:9 (cited logs/payments/payments.log:12)',
        'unverified: excerpt not in the file',
        'unverified: not in any get_recent_deploys result of this run',
      ],
    );
  });

  it('opens the real line of a found citation, and nothing for an unverified one or a metric', () => {
    assert.deepEqual(evidenceTarget(verified), { file: 'logs/payments/payments.log', line: 107 });
    assert.deepEqual(evidenceTarget(moved!), { file: 'logs/payments/payments.log', line: 52 });
    assert.deepEqual(evidenceTarget(movedAway!), { file: 'logs/payments/payments.log.1.gz', line: 9 });
    assert.equal(evidenceTarget(unverifiedLine!), undefined);
    assert.equal(evidenceTarget(metric!), undefined);
    assert.equal(evidenceTarget(deploy!), undefined);
  });

  it('counts: all verified, mixed, one item, none', () => {
    const text = (r: VerifiedReport) => verificationSummary(r).map((p) => `${p.tone}:${p.text}`);
    assert.deepEqual(text(withSummary({ verified: 8 })), ['ok:8 of 8 evidence items verified']);
    assert.deepEqual(text(withSummary({ verified: 6, moved: 1, unverified: 1 })), ['plain:6 of 8 evidence items verified', 'moved:1 moved', 'warning:1 unverified']);
    assert.deepEqual(text(withSummary({ verified: 0, moved: 1 })), ['ok:0 of 1 evidence item verified', 'moved:1 moved']);
    assert.deepEqual(text(withSummary({ verified: 0 })), ['warning:no evidence cited']);
    assert.deepEqual(text(withSummary({ verified: 2, timelineDisagreements: 2 })), ['ok:2 of 2 evidence items verified', 'warning:2 timeline entries contradict their lines']);
  });

  it('gives a capped confidence its reason and the model’s own figure, and leaves an uncapped one alone', () => {
    assert.deepEqual(confidenceText(verifiedReport()), { shown: 'confidence 80%' });
    assert.deepEqual(confidenceText(withSummary({ verified: 6, unverified: 2, confidenceCappedFrom: 0.9 }, verifiedReport(sampleReport({ confidence: 0.4 })))), {
      shown: 'confidence 40%',
      cap: 'capped: 2 of 8 evidence items unverified (model said 90%)',
    });
    assert.equal(confidenceText(mixedReport()).cap, 'capped: 2 of 7 evidence items unverified, 1 timeline entry contradicts its line (model said 90%)');
  });

  it('says a resubmission fixed the report only when nothing fails any more', () => {
    assert.equal(resubmittedNote(verifiedReport()), undefined);
    assert.match(resubmittedNote(withSummary({ resubmitted: true }))!, /the model corrected them/);
    assert.match(resubmittedNote(mixedReport())!, /still fails is flagged/);
  });
});

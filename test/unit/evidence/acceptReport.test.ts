import assert from 'node:assert/strict';
import type { EvidenceVerification, VerifiedReport } from '../../../src/shared/report';
import { acceptReport, CAPPED_CONFIDENCE, type EvidenceCheck } from '../../../src/agent/evidence/checkEvidence';
import { sampleReport, verifiedReport } from '../../fixtures/reports';
import { logLine } from './fixture';

/** A checked report of four items with these statuses (and the model's confidence). */
function checked(statuses: EvidenceVerification['status'][], confidence: number, timeline: VerifiedReport['timeline'] = []): EvidenceCheck {
  const base = verifiedReport(sampleReport({ confidence, evidence: statuses.map((_, i) => logLine('logs/app.log', i + 1, `line number ${i + 1} text`)), hypotheses: [] }));
  const evidence = base.evidence.map((e, i) => ({
    ...e,
    verification:
      statuses[i] === 'unverified'
        ? { status: 'unverified' as const, reason: 'excerpt not in "logs/app.log"' }
        : statuses[i] === 'moved'
          ? { status: 'moved' as const, line: 9 }
          : { status: 'verified' as const },
  }));
  const count = (s: string) => statuses.filter((x) => x === s).length;
  const disagreements = timeline.filter((t) => t.check?.status === 'disagrees').length;
  return {
    report: {
      ...base,
      evidence,
      timeline,
      verification: { verified: count('verified'), moved: count('moved'), unverified: count('unverified'), timelineDisagreements: disagreements, resubmitted: false },
    },
    failures: [],
    bytesRead: 0,
  };
}

describe('acceptReport: the report as shown, confidence capped when evidence failed', () => {
  it('keeps the confidence when everything held (moved counts as held), and records the resubmission', () => {
    const shown = acceptReport(checked(['verified', 'moved', 'verified', 'verified'], 0.9), true);
    assert.equal(shown.confidence, 0.9);
    assert.deepEqual(shown.verification, { verified: 3, moved: 1, unverified: 0, timelineDisagreements: 0, resubmitted: true });
  });

  it(`caps at ${CAPPED_CONFIDENCE} when an item is unverified, keeping the model's figure`, () => {
    const shown = acceptReport(checked(['verified', 'verified', 'verified', 'unverified'], 0.9), false);
    assert.equal(shown.confidence, CAPPED_CONFIDENCE);
    assert.equal(shown.verification.confidenceCappedFrom, 0.9);
    assert.equal(shown.verification.resubmitted, false);
  });

  it('caps at the share that held when most failed', () => {
    const shown = acceptReport(checked(['verified', 'unverified', 'unverified', 'unverified'], 0.8), true);
    assert.equal(shown.confidence, 0.25);
    assert.equal(shown.verification.confidenceCappedFrom, 0.8);
  });

  it('leaves a confidence already below the cap alone, and says nothing of a cap', () => {
    const shown = acceptReport(checked(['verified', 'verified', 'verified', 'unverified'], 0.3), false);
    assert.equal(shown.confidence, 0.3);
    assert.equal(shown.verification.confidenceCappedFrom, undefined);
  });

  it('caps for a timeline entry that disagrees with its line, too', () => {
    const timeline = [{ time: '2026-11-20T13:00:00Z', event: 'x', evidence: 1, check: { status: 'disagrees' as const, reason: 'an hour off' } }];
    const shown = acceptReport(checked(['verified', 'verified', 'verified', 'verified'], 0.95, timeline), false);
    assert.equal(shown.confidence, CAPPED_CONFIDENCE);
    assert.equal(shown.verification.confidenceCappedFrom, 0.95);
  });
});

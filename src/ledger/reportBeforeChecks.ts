/**
 * Reads a `report` event written before evidence was checked (run logs of version 0 and 1): the
 * report then had no evidence kinds, hypotheses or conclusion, and nothing had checked its
 * citations. It is upgraded to the current shape without claiming a check that never happened:
 * every item is marked unverified, with that reason.
 */
export function upgradeReportEvent(raw: unknown): unknown {
  if (!isRecord(raw) || raw.type !== 'report' || !isRecord(raw.report)) return raw;
  const report = raw.report;
  const evidence = Array.isArray(report.evidence) ? report.evidence : [];
  return {
    ...raw,
    report: {
      conclusion: 'identified',
      hypotheses: [],
      ...report,
      evidence: evidence.map((item: unknown) => (isRecord(item) ? { kind: 'log', ...item, verification: { status: 'unverified', reason: UNCHECKED } } : item)),
      verification: { verified: 0, moved: 0, unverified: evidence.length, timelineDisagreements: 0, resubmitted: false },
    },
  };
}

const UNCHECKED = 'recorded by a version that did not check evidence';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

import type { EvidenceItem, TriageReport } from '../../../src/shared/report';
import { checkEvidence, type EvidenceCheck, type EvidenceContext } from '../../../src/agent/evidence/checkEvidence';
import { RunObservations, type ToolObservation } from '../../../src/agent/evidence/observations';
import { sampleReport } from '../../fixtures/reports';

/** The run's clock in these tests: the sample incident's afternoon. */
export const NOW = Date.UTC(2026, 10, 20, 15, 0, 0);

/** "2026-11-20T14:00:07.000Z" for line 7 of the generated log: one line a second from 14:00. */
export const at = (second: number) => new Date(Date.UTC(2026, 10, 20, 14, 0, 0) + second * 1000).toISOString();

/** A report holding just these evidence items and timeline entries. */
export function reportWith(evidence: EvidenceItem[], timeline: TriageReport['timeline'] = []): TriageReport {
  return sampleReport({ evidence, hypotheses: [], timeline });
}

/** Checks a report against `root` with the given tool results of the run. */
export function check(root: string, report: TriageReport, observed: ToolObservation[] = [], more: Partial<EvidenceContext> = {}): Promise<EvidenceCheck> {
  const observations = new RunObservations();
  for (const o of observed) observations.record(o);
  return checkEvidence(report, { workspaceRoots: [root], observations, nowMs: NOW, ...more });
}

/** A log line cited at `line` of `file` with this excerpt. */
export const logLine = (file: string, line: number, excerpt: string): EvidenceItem => ({ kind: 'log', file, line, excerpt, why: 'test' });

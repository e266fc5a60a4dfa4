import type { EvidenceItem, EvidenceVerification, TriageReport, VerifiedEvidence, VerifiedReport } from '../../shared/report';
import { checkChange } from './checkChange';
import { SEARCH_LIMIT_BYTES, checkLineItems } from './checkLines';
import { checkMetric } from './checkMetric';
import { checkTimeline } from './checkTimeline';
import { quoted } from './citing';
import type { RunObservations } from './observations';
import { REPORT_READ_LIMIT_BYTES, ReadMeter } from './readMeter';

export interface EvidenceContext {
  /** Absolute, real paths of the workspace folders: files are resolved and confined as the tools do. */
  workspaceRoots: readonly string[];
  /** This run's successful tool calls: metric values and deploys are checked against them. */
  observations: RunObservations;
  signal?: AbortSignal;
  /** The run's clock (epoch ms), for times written without a year. */
  nowMs?: number;
  /** Smaller bounds on what is read, for tests; by default REPORT_READ_LIMIT_BYTES in all and SEARCH_LIMIT_BYTES per file and its rotations. */
  limits?: { readBytes?: number; searchBytes?: number };
}

export interface EvidenceCheck {
  /** The report with every item's verification and the summary; confidence as the model gave it, resubmitted: false. */
  report: VerifiedReport;
  /** One line per failing evidence item and per disagreeing timeline entry, addressed to the model; empty when all held. */
  failures: string[];
  /** Bytes the check read from files (decompressed, for gzip): its cost. */
  bytesRead: number;
}

/**
 * Checks every evidence item of a submitted report against the workspace and this run's tool
 * results, and the timeline against the lines it cites. Reasons and failure lines name the item
 * and repeat what the model wrote (a path, a ref), never what a file holds: they go back to the
 * model and onto the screen.
 */
export async function checkEvidence(report: TriageReport, ctx: EvidenceContext): Promise<EvidenceCheck> {
  const meter = new ReadMeter(ctx.limits?.readBytes ?? REPORT_READ_LIMIT_BYTES, ctx.signal);
  const nowMs = ctx.nowMs ?? Date.now();
  const lineItems = report.evidence.flatMap((item, index) => (item.kind === 'log' || item.kind === 'file' ? [{ index, item }] : []));
  const lines = await checkLineItems(lineItems, { workspaceRoots: ctx.workspaceRoots, meter, searchLimitBytes: ctx.limits?.searchBytes ?? SEARCH_LIMIT_BYTES, signal: ctx.signal });
  const verify = (item: EvidenceItem, index: number): EvidenceVerification => {
    switch (item.kind) {
      case 'metric':
        return checkMetric(item, ctx.observations, nowMs);
      case 'deploy':
      case 'commit':
        return checkChange(item, ctx.observations);
      case 'log':
      case 'file':
        return lines.get(index)!.verification;
    }
  };
  const evidence = report.evidence.map((item, index): VerifiedEvidence => ({ ...item, verification: verify(item, index) }));
  const { timeline, failures: timelineFailures } = checkTimeline(report.timeline, evidence, lines, nowMs);
  const count = (status: EvidenceVerification['status']) => evidence.filter((e) => e.verification.status === status).length;
  const failures = evidence.flatMap((e, i) => (e.verification.status === 'unverified' ? [failureLine(e, i, e.verification.reason)] : []));
  return {
    report: {
      ...report,
      evidence,
      timeline,
      verification: { verified: count('verified'), moved: count('moved'), unverified: count('unverified'), timelineDisagreements: timelineFailures.length, resubmitted: false },
    },
    failures: [...failures, ...timelineFailures],
    bytesRead: meter.bytes,
  };
}

function failureLine(item: EvidenceItem, index: number, reason: string): string {
  switch (item.kind) {
    case 'log':
    case 'file':
      return (
        `Evidence ${index + 1} (${item.kind} ${quoted(item.file)} line ${item.line}): ${reason}. ` +
        'Copy the path, line number and text exactly as a read_log or search_logs result of this run showed them (read the lines again if unsure), or drop the item.'
      );
    case 'metric':
      return (
        `Evidence ${index + 1} (metric ${quoted(item.metric)} of ${quoted(item.service)} at ${quoted(item.time)}, value ${item.value}): ${reason}. ` +
        'Cite a time and value exactly as a query_metrics result of this run printed them, or drop the item.'
      );
    case 'deploy':
    case 'commit':
      return `Evidence ${index + 1} (${item.kind} ${quoted(item.ref)}): ${reason}. Cite the ref exactly as get_recent_deploys, compare_log_windows or the first look of this run printed it, or drop the item.`;
  }
}

/** The highest confidence a report with failing evidence may show. */
export const CAPPED_CONFIDENCE = 0.5;

/**
 * The report as it is shown. When an item is still unverified, or a timeline entry disagrees with
 * its line, the report holds at least one claim nobody could confirm, so its confidence is shown
 * no higher than CAPPED_CONFIDENCE (a coin toss until an engineer checks), and no higher than the
 * share of its checks that held (verified or moved items, agreeing entries) when most failed.
 * The model's own figure is kept in `confidenceCappedFrom` whenever the cap lowered it.
 */
export function acceptReport(check: EvidenceCheck, resubmitted: boolean): VerifiedReport {
  const report = check.report;
  const v = report.verification;
  const verification = { ...v, resubmitted };
  if (v.unverified === 0 && v.timelineDisagreements === 0) return { ...report, verification };
  const checkedEntries = report.timeline.filter((t) => t.check !== undefined);
  const checks = report.evidence.length + checkedEntries.length;
  const held = v.verified + v.moved + checkedEntries.filter((t) => t.check?.status === 'agrees').length;
  // Floored to hundredths, as it is shown: never above the share that held.
  const cap = Math.min(CAPPED_CONFIDENCE, Math.floor((100 * held) / checks) / 100);
  if (report.confidence <= cap) return { ...report, verification };
  return { ...report, confidence: cap, verification: { ...verification, confidenceCappedFrom: report.confidence } };
}

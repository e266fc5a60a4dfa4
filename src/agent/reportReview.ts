import type { TriageReport, VerifiedReport } from '../shared/report';
import type { ToolOutput } from '../tools/registry';
import { acceptReport, checkEvidence, type EvidenceCheck, type EvidenceContext } from './evidence/checkEvidence';
import { verificationSummaryLine } from '../shared/reportText';

/** Why a report went back to the model: its `tool_result` is an error listing what failed. */
export class EvidenceRejectedError extends Error {}

/**
 * Settles `submit_triage_report` calls for one run: checks every evidence item against the
 * workspace and the run's tool results, sends a report with failing items back to the model
 * once, and accepts the next one as it is, flagged, its confidence capped.
 */
export class ReportReview {
  private rejected = false;
  /** The report sent back, until another is accepted: shown flagged if the run ends before a correction arrives. */
  private sentBack: EvidenceCheck | undefined;

  constructor(private readonly context: Omit<EvidenceContext, 'signal'>) {}

  /**
   * The tool's output: the accepted report rides in `data` (it is never sent to the model), or
   * an EvidenceRejectedError is thrown, whose message becomes the model's `is_error` result.
   * @param mayResubmit whether the run can afford another step for a corrected report.
   */
  async settle(report: TriageReport, signal: AbortSignal, mayResubmit: boolean): Promise<ToolOutput & { data: VerifiedReport }> {
    const check = await checkEvidence(report, { ...this.context, signal });
    if (check.failures.length > 0 && mayResubmit && !this.rejected) {
      this.rejected = true;
      this.sentBack = check;
      throw new EvidenceRejectedError(
        [
          `the report was not shown: ${check.failures.length === 1 ? 'one item does' : `${check.failures.length} items do`} not check out against the workspace and this run's tool results.`,
          ...check.failures.map((f) => `- ${f}`),
          'Correct or remove these items (cite only what a tool result showed), then call submit_triage_report again with the whole report. This is the only resubmission: the next report is shown as it is, with failing items flagged.',
        ].join('\n'),
      );
    }
    const accepted = acceptReport(check, this.rejected);
    this.sentBack = undefined;
    return { text: `Report recorded and shown to the on-call engineer. ${verificationSummaryLine(accepted)}.`, data: accepted };
  }

  /**
   * The report that was sent back for a correction that never came (the run hit its step cap or
   * budget, or failed): a valid report is never lost, it is shown as it was, flagged and capped.
   */
  uncorrected(): VerifiedReport | undefined {
    return this.sentBack && acceptReport(this.sentBack, true);
  }
}

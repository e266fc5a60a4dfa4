import { z } from 'zod';

// The report's one schema: the tool's JSON Schema, its validation and the TriageReport type all come from it.
// What the engine adds once it has checked the evidence (VerifiedReport) is declared below it.

export const REPORT_TOOL_NAME = 'submit_triage_report';

/** Consecutive lines one excerpt may span. */
export const MAX_EXCERPT_LINES = 5;

const why = z.string().min(1).describe('What this item proves or suggests about the incident.');

const lineEvidence = z.object({
  kind: z.enum(['log', 'file']).describe('log: a line of a log file; file: a line of another workspace file, such as a config or a manifest.'),
  file: z.string().min(1).describe('Workspace-relative path, exactly as the tools returned it.'),
  line: z.number().int().min(1).describe('1-based line number of the cited line (the first, when the excerpt spans several).'),
  excerpt: z
    .string()
    .min(1)
    .max(500)
    .describe(
      `The cited text copied verbatim from a tool result, without the line-number prefix: the whole line or the part that matters, at most ${MAX_EXCERPT_LINES} consecutive lines. ` +
        'Keep [REDACTED:…] markers as you saw them; write … where you leave text out. It is checked against the file.',
    ),
  why,
});

const metricEvidence = z.object({
  kind: z.literal('metric'),
  service: z.string().min(1).describe('The service, as passed to query_metrics.'),
  metric: z.string().min(1).describe('The metric, as passed to query_metrics, e.g. "latency_p95".'),
  time: z.string().min(1).describe('ISO 8601 time of the value, as a query_metrics result of this run showed it.'),
  value: z.number().describe('The value that result showed at that time. It is checked against the results of this run.'),
  why,
});

const changeEvidence = z.object({
  kind: z.enum(['deploy', 'commit']),
  ref: z.string().min(1).max(200).describe('The deploy id or version, or the commit hash, exactly as get_recent_deploys showed it. It is checked against the results of this run.'),
  why,
});

const evidenceItem = z.discriminatedUnion('kind', [lineEvidence, metricEvidence, changeEvidence]);

/** 1-based positions in `evidence`, as the model cites them from hypotheses and the timeline. */
const evidenceRef = z.number().int().min(1);

export const triageReportSchema = z
  .object({
    title: z.string().min(3).max(120).describe('One-line incident title, e.g. "Checkout 502s after payments DB pool exhaustion".'),
    severity: z
      .enum(['SEV1', 'SEV2', 'SEV3', 'SEV4'])
      .describe('SEV1: full outage or data loss; SEV2: major feature down or many users affected; SEV3: degraded, workaround exists; SEV4: minor, no user impact.'),
    conclusion: z
      .enum(['identified', 'inconclusive'])
      .describe('identified: the evidence supports a root cause. inconclusive: it does not; say what you checked and what is missing. ' + 'An honest "inconclusive" is worth more than a guess.'),
    confidence: z.number().min(0).max(1).describe('How sure you are of the root cause, from 0 (guess) to 1 (proven by evidence).'),
    summary: z.string().min(1).describe('Two to four sentences: what is happening, since when, who is affected.'),
    suspected_root_cause: z.string().min(1).describe('The most likely cause and the chain of events, citing evidence; for an inconclusive report, the leading candidate or "unknown".'),
    evidence: z.array(evidenceItem).describe('What supports (or refutes) the conclusion: log or file lines, metric values, deploys or commits, each as a tool result of this run showed it.'),
    hypotheses: z
      .array(
        z.object({
          statement: z.string().min(1).describe('A candidate cause, e.g. "The 14:02 deploy shrank the DB pool".'),
          status: z.enum(['supported', 'refuted', 'open']).describe('supported or refuted by the evidence, or open when the data cannot settle it.'),
          evidence: z.array(evidenceRef).describe('1-based positions in `evidence` of the items that support or refute it.'),
        }),
      )
      .describe('Every cause you considered, the ones the evidence ruled out included, so the engineer sees what was checked.'),
    affected_services: z.array(z.string().min(1)).describe('Services or components affected, e.g. ["checkout-api", "payments-db"].'),
    timeline: z
      .array(
        z.object({
          time: z.string().min(1).describe('ISO 8601 timestamp as seen in the logs.'),
          event: z.string().min(1),
          evidence: evidenceRef.optional().describe("1-based position in `evidence` of the line this entry comes from; the line's timestamp must agree."),
        }),
      )
      .describe('Key events in time order.'),
    next_steps: z.array(z.string().min(1)).min(1).describe('Concrete actions for the on-call engineer, most urgent first; for an inconclusive report, what to look at next.'),
    checked: z.array(z.string().min(1)).optional().describe('For an inconclusive report: what you checked and ruled out.'),
    missing: z.array(z.string().min(1)).optional().describe('For an inconclusive report: the data that would settle it and where it might be.'),
  })
  .superRefine((report, ctx) => {
    // A reference to an item that does not exist cannot be checked: the model fixes it like any schema error.
    const count = report.evidence.length;
    const check = (ref: number | undefined, path: (string | number)[]) => {
      if (ref !== undefined && ref > count) ctx.addIssue({ code: 'custom', path, message: `refers to evidence ${ref}, but there ${count === 1 ? 'is 1 item' : `are ${count} items`}` });
    };
    report.hypotheses.forEach((h, i) => h.evidence.forEach((ref, j) => check(ref, ['hypotheses', i, 'evidence', j])));
    report.timeline.forEach((t, i) => check(t.evidence, ['timeline', i, 'evidence']));
  });

/** The report as the model submits it. */
export type TriageReport = z.infer<typeof triageReportSchema>;
export type EvidenceItem = TriageReport['evidence'][number];
export type LineEvidence = Extract<EvidenceItem, { kind: 'log' | 'file' }>;
export type TimelineEntry = TriageReport['timeline'][number];

/**
 * What the engine found when it checked one evidence item against the workspace and this run's
 * tool results: where the text really is (`moved`, `file` only when it is in another file, such
 * as a rotation), or why it could not be found.
 */
export type EvidenceVerification = { status: 'verified' } | { status: 'moved'; line: number; file?: string } | { status: 'unverified'; reason: string };

/** A timeline entry that cites an evidence line, compared with that line's own timestamp. */
export type TimelineCheck = { status: 'agrees' } | { status: 'disagrees'; reason: string };

export interface VerificationSummary {
  verified: number;
  moved: number;
  unverified: number;
  /** Timeline entries whose time disagrees with the line they cite. */
  timelineDisagreements: number;
  /** The model was shown what failed and submitted again. */
  resubmitted: boolean;
  /** The model's confidence, when failing evidence lowered the one shown. */
  confidenceCappedFrom?: number;
}

type Flat<T> = T extends unknown ? { [K in keyof T]: T[K] } : never;
export type VerifiedEvidence = Flat<EvidenceItem & { verification: EvidenceVerification }>;
export type VerifiedTimelineEntry = Flat<TimelineEntry & { check?: TimelineCheck }>;

/** The report as it is shown, recorded and exported: every evidence item carries its check. */
export type VerifiedReport = Flat<
  Omit<TriageReport, 'evidence' | 'timeline'> & {
    evidence: VerifiedEvidence[];
    timeline: VerifiedTimelineEntry[];
    verification: VerificationSummary;
  }
>;

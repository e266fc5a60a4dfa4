import { z } from 'zod';

// The report's one schema: the tool's JSON Schema, its validation and the TriageReport type all come from it.

export const REPORT_TOOL_NAME = 'submit_triage_report';

const evidence = z.object({
  file: z.string().min(1).describe('Workspace-relative path of the log file, exactly as the log tools returned it.'),
  line: z.number().int().min(1).describe('1-based line number of the cited line.'),
  excerpt: z.string().min(1).max(500).describe('The cited line (or its relevant part), copied verbatim.'),
  why: z.string().min(1).describe('What this line proves or suggests about the incident.'),
});

export const triageReportSchema = z.object({
  title: z.string().min(3).max(120).describe('One-line incident title, e.g. "Checkout 502s after payments DB pool exhaustion".'),
  severity: z
    .enum(['SEV1', 'SEV2', 'SEV3', 'SEV4'])
    .describe('SEV1: full outage or data loss; SEV2: major feature down or many users affected; SEV3: degraded, workaround exists; SEV4: minor, no user impact.'),
  confidence: z.number().min(0).max(1).describe('How sure you are of the root cause, from 0 (guess) to 1 (proven by evidence).'),
  summary: z.string().min(1).describe('Two to four sentences: what is happening, since when, who is affected.'),
  suspected_root_cause: z.string().min(1).describe('The most likely cause and the chain of events, citing evidence.'),
  evidence: z.array(evidence).describe('Log lines that support the conclusion; cite exact file and line.'),
  affected_services: z.array(z.string().min(1)).describe('Services or components affected, e.g. ["checkout-api", "payments-db"].'),
  timeline: z.array(z.object({ time: z.string().min(1).describe('ISO 8601 timestamp as seen in the logs.'), event: z.string().min(1) })).describe('Key events in time order.'),
  next_steps: z.array(z.string().min(1)).min(1).describe('Concrete actions for the on-call engineer, most urgent first.'),
});

export type TriageReport = z.infer<typeof triageReportSchema>;

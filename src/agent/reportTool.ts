import { defineTool } from '../tools/registry';
import { REPORT_TOOL_NAME, triageReportSchema } from '../shared/report';

/**
 * The tool that ends a run. The registry holds it for its definition and for validating the
 * model's input; a run settles each call itself (see reportReview.ts), because accepting a
 * report means checking its evidence against what that run's tools showed.
 */
export const submitTriageReport = defineTool({
  name: REPORT_TOOL_NAME,
  description:
    'Use this exactly once, when you have gathered enough evidence, to deliver the final triage report. ' +
    'Every evidence item must cite what a tool result of this run showed: it is checked by code before the engineer sees it, ' +
    'and what fails is sent back to you once to fix. ' +
    'If the evidence is thin, still submit, with a low confidence and next steps that would confirm the cause, or conclude "inconclusive".',
  input: triageReportSchema,
  risk: 'read-only',
  run: () => Promise.reject(new Error(`${REPORT_TOOL_NAME} is settled by the run that offered it, never by the registry alone.`)),
});

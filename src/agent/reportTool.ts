import { defineTool } from '../tools/registry';
import { REPORT_TOOL_NAME, triageReportSchema } from '../shared/report';

/**
 * The tool that ends a run. Its handler only acknowledges: the engine watches for a valid
 * call and turns it into the `report` event.
 */
export const submitTriageReport = defineTool({
  name: REPORT_TOOL_NAME,
  description:
    'Use this exactly once, when you have gathered enough evidence, to deliver the final triage report. ' +
    'Every evidence item must cite a file and line you actually saw in a tool result. ' +
    'If evidence is thin, still submit, with a low confidence and next steps that would confirm the cause.',
  input: triageReportSchema,
  risk: 'read-only',
  run: async () => ({ text: 'Report recorded. It is shown to the on-call engineer.' }),
});

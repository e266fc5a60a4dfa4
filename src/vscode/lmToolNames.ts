/** Our tools as VS Code's agent mode sees them: `incidentTriage_<tool>`, declared in package.json `languageModelTools`. */
export const LM_TOOL_PREFIX = 'incidentTriage_';

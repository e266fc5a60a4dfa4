import type { ApprovalRequest } from '../tools/registry';

/** Characters of the arguments shown in the dialog. */
const SHOWN_ARGS = 800;

/**
 * What the approval dialog says about a call: what would run, and what its source says of it —
 * destructive, reaching outside (open world), repeatable — so the user decides knowing it. A tool
 * that says nothing is described as possibly changing something.
 */
export function approvalText(call: ApprovalRequest): { message: string; detail: string } {
  const hints = call.annotations ?? {};
  const mcp = /^mcp__([A-Za-z0-9_-]+?)__(.+)$/.exec(call.name);
  const what = `${hints.title ? `"${hints.title}" (${call.name})` : call.name}${mcp ? ` from the MCP server "${mcp[1]}"` : ''}`;
  const effect = hints.destructiveHint === false ? 'which may change something outside VS Code' : 'which may delete or overwrite data';
  const lines = [
    hints.destructiveHint === false ? 'The tool says it only adds, and does not delete or overwrite.' : 'The tool does not say it is safe: it may delete or overwrite data.',
    ...(hints.openWorldHint === false ? [] : ['It may reach systems outside this machine.']),
    ...(hints.idempotentHint ? ['Running it twice has the same effect as once.'] : []),
  ];
  const args = JSON.stringify(call.input, null, 2) ?? '{}';
  lines.push('', `Arguments:\n${args.length > SHOWN_ARGS ? `${args.slice(0, SHOWN_ARGS)}…` : args}`);
  return { message: `Incident Triage wants to run ${what}, ${effect}.`, detail: lines.join('\n') };
}

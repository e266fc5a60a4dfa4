import assert from 'node:assert/strict';
import { approvalText } from '../../../src/vscode/approvalText';

describe('the approval dialog text', () => {
  it('names an MCP tool, its server and its hints: destructive, open world', () => {
    const { message, detail } = approvalText({
      name: 'mcp__filesystem__write_file',
      input: { path: '/srv/notes.txt', content: 'x' },
      annotations: { title: 'Write File', readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    });
    assert.equal(message, 'Incident Triage wants to run "Write File" (mcp__filesystem__write_file) from the MCP server "filesystem", which may delete or overwrite data.');
    assert.match(detail, /may delete or overwrite data/);
    assert.doesNotMatch(detail, /outside this machine/);
    assert.match(detail, /Running it twice has the same effect as once\./);
    assert.match(detail, /"path": "\/srv\/notes\.txt"/);
  });

  it('assumes the worst of a tool that says nothing, and cuts long arguments', () => {
    const { message, detail } = approvalText({ name: 'mcp__k8s__scale', input: { replicas: 0, note: 'y'.repeat(2000) } });
    assert.match(message, /from the MCP server "k8s", which may delete or overwrite data\.$/);
    assert.match(detail, /It may reach systems outside this machine\./);
    assert.ok(detail.length < 1200);
    assert.match(detail, /…$/);
  });

  it('says a tool that only adds is not destructive', () => {
    const { message, detail } = approvalText({ name: 'mcp__fs__create_directory', input: {}, annotations: { destructiveHint: false, openWorldHint: false } });
    assert.match(message, /which may change something outside VS Code\.$/);
    assert.match(detail, /only adds/);
  });
});

import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { api, workspaceRoot } from './harness';

const SECRET = 'Hunter2-Agent-Mode-Secret-31';

/** Our read-only tools in VS Code's Language Model API, as Copilot's agent mode would call them. */
describe('the log tools in agent mode (Language Model tools)', () => {
  const planted = () => path.join(workspaceRoot(), 'logs', 'lm-tools-test.log');
  const outside = path.join(os.tmpdir(), 'lm-tools-outside.log');
  before(async () => {
    await api();
    writeFileSync(planted(), `2026-11-20T14:05:00Z ERROR LM-NEEDLE pool exhausted DB_PASSWORD=${SECRET}\n`);
    writeFileSync(outside, '2026-11-20T14:05:00Z ERROR LM-OUTSIDE-CONTENT\n');
  });
  after(() => {
    rmSync(planted(), { force: true });
    rmSync(outside, { force: true });
  });
  const invoke = async (name: string, input: object) => {
    const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
    return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
  };

  it('are registered under their declared names with our input schemas', () => {
    const ours = vscode.lm.tools.filter((t) => t.name.startsWith('incidentTriage_'));
    assert.deepEqual(
      ours.map((t) => t.name).sort(),
      ['compare_log_windows', 'get_recent_deploys', 'list_log_files', 'query_metrics', 'read_log', 'search_logs', 'summarize_log'].map((n) => `incidentTriage_${n}`),
    );
    const search = ours.find((t) => t.name === 'incidentTriage_search_logs')!;
    assert.equal((search.inputSchema as { properties: Record<string, unknown> }).properties.query !== undefined, true);
  });

  it('search the workspace logs with redaction, and refuse a file outside the workspace', async () => {
    const found = await invoke('incidentTriage_search_logs', { query: 'LM-NEEDLE' });
    assert.match(found, /logs\/lm-tools-test\.log/);
    assert.match(found, /LM-NEEDLE pool exhausted DB_PASSWORD=\[REDACTED/);
    assert.ok(!found.includes(SECRET), 'the secret reached the agent');
    const refused = await invoke('incidentTriage_read_log', { file: outside, start_line: 1, end_line: 5 });
    assert.ok(!refused.includes('LM-OUTSIDE-CONTENT'), refused);
    assert.match(refused, /outside|not in the workspace|workspace folder/i);
    const invalid = await invoke('incidentTriage_read_log', { file: 'logs/lm-tools-test.log', around_line: 'twelve' });
    assert.match(invalid, /Invalid arguments for read_log/);
  });
});

import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { lentToolRegistry } from '../../../src/engine/lentTools';
import { LM_TOOL_PREFIX } from '../../../src/vscode/lmToolNames';
import { hooks, workspaceRoot } from './harness';

const SECRET = 'Hunter2-Agent-Mode-Secret-31';
// A gateway key of no recognisable shape, built from pieces: only masking by the value the extension holds catches it.
const HELD_KEY = ['gw', 'Lm7Tools4Held', 'Key9Xq2'].join('');

/** Our read-only tools in VS Code's Language Model API, as Copilot's agent mode would call them. */
describe('the log tools in agent mode (Language Model tools)', () => {
  const planted = () => path.join(workspaceRoot(), 'logs', 'lm-tools-test.log');
  const outside = path.join(os.tmpdir(), 'lm-tools-outside.log');
  before(async () => {
    await (await hooks()).storeApiKey(HELD_KEY);
    writeFileSync(planted(), `2026-11-20T14:05:00Z ERROR LM-NEEDLE pool exhausted DB_PASSWORD=${SECRET} upstream key ${HELD_KEY}\n`);
    writeFileSync(outside, '2026-11-20T14:05:00Z ERROR LM-OUTSIDE-CONTENT\n');
  });
  after(async () => {
    rmSync(planted(), { force: true });
    rmSync(outside, { force: true });
    await vscode.commands.executeCommand('incidentTriage.clearApiKey');
  });
  const invoke = async (name: string, input: object) => {
    const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
    return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
  };

  it('are listed by VS Code with the descriptions and input schemas the engine gives its own model', () => {
    const engine = lentToolRegistry({}).registry.definitions();
    const listed = vscode.lm.tools.filter((t) => t.name.startsWith(LM_TOOL_PREFIX));
    assert.deepEqual(
      listed.map((t) => t.name),
      engine.map((d) => `${LM_TOOL_PREFIX}${d.name}`),
    );
    for (const definition of engine) {
      const tool = listed.find((t) => t.name === `${LM_TOOL_PREFIX}${definition.name}`)!;
      assert.equal(tool.description, definition.description, definition.name);
      assert.deepEqual(tool.inputSchema, definition.input_schema, definition.name);
    }
  });

  it('search the workspace logs with redaction (by shape, and the key the extension holds by value), and refuse a file outside the workspace', async () => {
    const found = await invoke('incidentTriage_search_logs', { query: 'LM-NEEDLE' });
    assert.match(found, /logs\/lm-tools-test\.log/);
    assert.match(found, /LM-NEEDLE pool exhausted DB_PASSWORD=\[REDACTED/);
    assert.ok(!found.includes(SECRET), 'the secret reached the agent');
    assert.ok(!found.includes(HELD_KEY), 'the held API key reached the agent');
    const refused = await invoke('incidentTriage_read_log', { file: outside, start_line: 1, end_line: 5 });
    assert.ok(!refused.includes('LM-OUTSIDE-CONTENT'), refused);
    assert.match(refused, /resolves outside the workspace/);
    const invalid = await invoke('incidentTriage_read_log', { file: 'logs/lm-tools-test.log', around_line: 'twelve' });
    assert.match(invalid, /Invalid arguments for read_log/);
  });
});

import assert from 'node:assert/strict';
import path from 'node:path';
import { z } from 'zod';
import { lentToolRegistry } from '../../../src/engine/lentTools';
import { redactSecrets } from '../../../src/security/redaction';
import { ToolRegistry, defineTool } from '../../../src/tools/registry';
import { callLentTool, type LentCallHost } from '../../../src/vscode/lentToolCall';
import { workspaceWithEscape, type EscapingWorkspace } from '../../fixtures/workspace';

// Built from pieces: a gateway key of no recognisable shape, which only masking by value can catch.
const API_KEY = ['gw', 'Qm7Rt2Xw9Lk4', 'Pz8Vn3Hs'].join('');
const DB_PASSWORD = ['Zq', 'Hunter2', 'Planted9'].join('');
const OUTSIDE_LINE = 'OUTSIDE-ONLY content that must stay unread';

/** One call from VS Code's agent mode, as the extension makes it: the engine's registry, our confinement and redaction. */
describe('a call of a lent tool from agent mode', () => {
  let ws: EscapingWorkspace;
  const logs: string[] = [];
  const host = (over: Partial<LentCallHost> = {}): LentCallHost => ({
    loadEngine: () => ({ lentToolRegistry }),
    toolSettings: () => Promise.resolve({}),
    heldSecrets: () => Promise.resolve([API_KEY]),
    workspaceRoots: () => [ws.root],
    toolTimeoutMs: () => 10_000,
    isTrusted: () => true,
    log: (message) => logs.push(message),
    ...over,
  });
  const call = (tool: string, input: unknown, over: Partial<LentCallHost> = {}, signal = new AbortController().signal) => callLentTool(tool, input, signal, host(over));

  before(async () => {
    ws = await workspaceWithEscape(
      'lent-call',
      {
        'logs/payments.log': [
          '2026-11-20T14:05:00Z INFO payments started',
          `2026-11-20T14:05:01Z ERROR HikariPool-1 - Connection is not available DB_PASSWORD=${DB_PASSWORD}`,
          `2026-11-20T14:05:02Z WARN retrying upstream with ${API_KEY}`,
        ].join('\n'),
      },
      { link: 'logs/escape.log', content: `2026-11-20T14:05:00Z ERROR ${OUTSIDE_LINE}\n` },
    );
  });
  after(() => ws.dispose());
  beforeEach(() => (logs.length = 0));

  it('finds the line and masks the secrets in it: by shape, and the key the extension holds by value', async () => {
    const found = await call('search_logs', { query: 'HikariPool' });
    assert.match(found, /logs\/payments\.log/);
    assert.match(found, /HikariPool-1 - Connection is not available/);
    assert.ok(!found.includes(DB_PASSWORD), found);
    const read = await call('read_log', { file: 'logs/payments.log', start_line: 1, end_line: 3 });
    assert.match(read, /retrying upstream with \[REDACTED/);
    assert.ok(!read.includes(API_KEY), read);
    assert.ok(!read.includes(DB_PASSWORD), read);
  });

  it('reads nothing outside the workspace: an absolute path, a ../ path and a symlink out are refused with a reason', async () => {
    for (const file of [path.join(ws.outside, 'escape.log'), `../${path.basename(ws.outside)}/escape.log`, 'logs/escape.log']) {
      const refused = await call('read_log', { file, start_line: 1, end_line: 5 });
      assert.ok(!refused.includes(OUTSIDE_LINE), refused);
      assert.match(refused, /resolves outside the workspace/, `${file}: ${refused}`);
    }
    const searched = await call('search_logs', { query: 'OUTSIDE-ONLY' });
    assert.ok(!searched.includes(OUTSIDE_LINE), searched);
  });

  it('answers bad arguments with what to fix, and a tool that is not lent (the report tool) as unknown', async () => {
    assert.match(await call('read_log', { file: 'logs/payments.log', around_line: 'twelve' }), /Invalid arguments for read_log[\s\S]*call read_log again/);
    assert.match(await call('submit_triage_report', {}), /Unknown tool "submit_triage_report"\. Available tools: list_log_files, /);
  });

  it('stops when VS Code cancels the call', async () => {
    const abort = new AbortController();
    abort.abort();
    assert.equal(await call('search_logs', { query: 'HikariPool' }, {}, abort.signal), 'Cancelled by the user.');
  });

  it("runs with the extension's time limit: a call that outlasts it is answered with how to narrow it", async () => {
    // A tool that never answers, in the engine's registry: the registry's timer, set from the host, ends the call.
    const hanging = defineTool({ name: 'search_logs', description: 'hangs', input: z.object({}), risk: 'read-only', run: () => new Promise<never>(() => undefined) });
    const loadEngine = () => ({ lentToolRegistry: () => ({ registry: new ToolRegistry([hanging]), redact: redactSecrets }) });
    const started = Date.now();
    const answer = await call('search_logs', {}, { loadEngine, toolTimeoutMs: () => 200 });
    assert.match(answer, /^search_logs timed out after 0\.2 s\. Narrow the request/);
    assert.ok(Date.now() - started < 2_000, `${Date.now() - started} ms`);
  });

  it('refuses in an untrusted workspace and with no folder open, reading nothing, and says what the user can do', async () => {
    let settingsRead = 0;
    const counting = { toolSettings: () => (settingsRead++, Promise.resolve({})) };
    assert.match(await call('search_logs', { query: 'HikariPool' }, { ...counting, isTrusted: () => false }), /not available in an untrusted workspace: the user must trust the folder/);
    assert.match(await call('list_log_files', {}, { ...counting, workspaceRoots: () => [] }), /no local folder is open: ask the user to open the folder that holds the logs/);
    assert.equal(settingsRead, 0);
  });

  it('answers with text, never a throw, when the extension cannot give the settings, and logs it', async () => {
    const answer = await call('search_logs', { query: 'HikariPool' }, { toolSettings: () => Promise.reject(new Error('secret storage is locked')) });
    assert.equal(answer, 'search_logs could not run in the Incident Triage extension (secret storage is locked). Do not retry it now; go on without it and tell the user.');
    assert.deepEqual(logs, ['Agent-mode call of search_logs failed: secret storage is locked']);
  });
});

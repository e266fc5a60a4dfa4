import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readLogTool } from '../../../src/tools/logs/readLog';
import { runSearch } from '../../../src/tools/logs/searchLogs';
import { writeFiles } from '../../fixtures/workspace';

/** The one renderer of a long log line, seen through both tools that show lines: search_logs at 400 characters, read_log at 800. */
describe('long lines in tool output', () => {
  let root: string;
  const ctx = () => ({ workspaceRoots: [root], signal: new AbortController().signal });
  const long = `2026-11-20T14:00:00Z ERROR needle ${'x'.repeat(1000)}`;
  const short = `2026-11-20T14:00:01Z ERROR needle ${'y'.repeat(300)}`;

  before(async () => {
    root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'triage-cut-')));
    await writeFiles(root, { 'logs/app.log': `${long}\n${short}\n` });
  });
  after(async () => rm(root, { recursive: true, force: true }));

  it('search_logs cuts a line to 400 characters and says how long it was; a shorter line is whole', async () => {
    const { text } = await runSearch({ query: 'needle', files: ['logs/app.log'] }, ctx());
    const [first, second] = text.split('\n').filter((l) => /^\d+: /.test(l));
    assert.ok(first!.endsWith(`${long.slice(0, 400)} … [line cut: 1,034 bytes]`), first);
    assert.ok(second!.endsWith(short), second);
  });

  it('read_log shows twice as much of the same line, with the same note', async () => {
    const { text } = await readLogTool({}).run({ file: 'logs/app.log', start_line: 1, end_line: 2 }, ctx());
    assert.match(text, new RegExp(`\\n1\\| ${long.slice(0, 800)} … \\[line cut: 1,034 bytes\\]\\n2\\| ${short}$`));
  });
});

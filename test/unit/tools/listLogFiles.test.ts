import assert from 'node:assert/strict';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describeLogFile, listLogFilesTool } from '../../../src/tools/logs/listLogFiles';
import { DEFAULTS } from '../../../src/shared/settings';
import { findWorkspaceFiles } from '../../../src/tools/workspaceFiles';
import { resolveInWorkspace } from '../../../src/security/confinement';
import { TimestampParser } from '../../../src/tools/logs/timestamps';
import { workspaceWithEscape, type EscapingWorkspace } from '../../fixtures/workspace';

describe('workspace log files', () => {
  let ws: EscapingWorkspace;
  let root: string;
  const ctx = () => ({ workspaceRoots: [root], signal: new AbortController().signal });

  before(async () => {
    const files: Record<string, string | Buffer> = {
      'logs/app.log': '2026-11-20T14:00:00Z INFO up\r\n2026-11-20T14:05:00.250+01:00 ERROR down\r\n',
      'logs/app.log.1': '2026-11-19T10:00:00Z INFO older\n',
      'logs/app.log.2.gz': gzipSync('2026-11-18T10:00:00Z INFO oldest\n'),
      'events.jsonl': '{"ts":"2026-11-20T14:00:00Z","level":"info"}\n',
      'nginx/access.log': '10.0.0.1 - - [20/Nov/2026:14:05:01 +0000] "GET / HTTP/1.1" 502 0\n',
      'empty.log': '',
      'core.log': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]),
      'node_modules/pkg/debug.log': 'ignored\n',
      'README.md': 'not a log\n',
    };
    ws = await workspaceWithEscape('triage-root', files, { link: 'logs/escape.log', content: 'password=hunter2\n' });
    root = ws.root;
  });
  after(async () => ws.dispose());

  it('finds plain, rotated, gzipped and JSON-lines logs, skipping node_modules and symlinks out', async () => {
    const found = (await findWorkspaceFiles([root], DEFAULTS.logGlobs)).map((f) => f.relative);
    assert.deepEqual(found, ['core.log', 'empty.log', 'events.jsonl', 'logs/app.log', 'logs/app.log.1', 'logs/app.log.2.gz', 'nginx/access.log']);
  });

  it('describes format and time span, normalised to UTC', async () => {
    const app = await describeLogFile(path.join(root, 'logs/app.log'), 'logs/app.log');
    assert.equal(app.format, 'plain');
    assert.equal(app.firstTimestamp, '2026-11-20T14:00:00.000Z');
    assert.equal(app.lastTimestamp, '2026-11-20T13:05:00.250Z');
    assert.equal((await describeLogFile(path.join(root, 'logs/app.log.2.gz'), 'x')).format, 'gzip');
    assert.equal((await describeLogFile(path.join(root, 'events.jsonl'), 'x')).format, 'jsonl');
    assert.equal((await describeLogFile(path.join(root, 'empty.log'), 'x')).format, 'empty');
    assert.equal((await describeLogFile(path.join(root, 'core.log'), 'x')).format, 'binary');
    assert.equal((await describeLogFile(path.join(root, 'nginx/access.log'), 'x')).firstTimestamp, '2026-11-20T14:05:01.000Z');
  });

  it('the tool lists files for the model and honours a glob', async () => {
    const all = await listLogFilesTool({}).run({}, ctx());
    assert.match(all.text, /^7 log files/);
    assert.match(all.text, /logs\/app\.log \| \d+ B \| plain \| .* \| 2026-11-20T14:00:00\.000Z → 2026-11-20T13:05:00\.250Z/);
    assert.doesNotMatch(all.text, /escape\.log|secret/);
    const nginx = await listLogFilesTool({}).run({ glob: 'nginx/**' }, ctx());
    assert.match(nginx.text, /^1 log file \(/);
    assert.match((await listLogFilesTool({}).run({ glob: '**/*.none' }, ctx())).text, /No log files match/);
  });

  it('refuses globs that climb out of the workspace', async () => {
    await assert.rejects(listLogFilesTool({}).run({ glob: '../**/*.log' }, ctx()), /must be workspace-relative/);
    await assert.rejects(listLogFilesTool({}).run({ glob: '/etc/**' }, ctx()), /must be workspace-relative/);
  });

  describe('resolveInWorkspace', () => {
    it('accepts workspace-relative and absolute paths inside the workspace', async () => {
      assert.equal((await resolveInWorkspace([root], 'logs/app.log')).relative, 'logs/app.log');
      assert.equal((await resolveInWorkspace([root], path.join(root, 'logs/app.log'))).relative, 'logs/app.log');
      assert.equal((await resolveInWorkspace([root], 'logs/../logs/app.log')).relative, 'logs/app.log');
    });
    for (const hostile of ['../../../../etc/passwd', '/etc/passwd', 'logs/escape.log']) {
      it(`refuses ${hostile}`, async () => {
        await assert.rejects(resolveInWorkspace([root], hostile), /resolves outside the workspace/);
      });
    }
    it('refuses a NUL byte and explains a missing file', async () => {
      await assert.rejects(resolveInWorkspace([root], 'logs/app.log\0.txt'), /NUL byte/);
      await assert.rejects(resolveInWorkspace([root], 'logs/nope.log'), /No such file in the workspace/);
    });
  });

  it('parses ISO 8601 with zones and Apache/NGINX timestamps', () => {
    // A parser per line, as each of these could be the first line of a different file.
    const parse = (line: string) => new TimestampParser().parse(line);
    assert.equal(parse('2026-11-20 14:05:01,123 ERROR x')?.ms, Date.UTC(2026, 10, 20, 14, 5, 1, 123));
    assert.deepEqual(parse('at 2026-11-20T14:05:01-05:00 boom'), { ms: Date.UTC(2026, 10, 20, 19, 5, 1), index: 3, length: 25 });
    assert.equal(parse('[20/Nov/2026:14:05:01 +0200]')?.ms, Date.UTC(2026, 10, 20, 12, 5, 1));
    assert.equal(parse('no time here'), undefined);
  });
});

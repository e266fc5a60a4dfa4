import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describeLogFile } from '../../../src/tools/logs/listLogFiles';
import { readLogTool } from '../../../src/tools/logs/readLog';
import { writeFiles } from '../../fixtures/workspace';

/** The one content sniffer, seen through each tool that relies on it: listing, choosing what to read, and reading. */
describe('telling gzip, binary and text apart by content', () => {
  let root: string;
  const ctx = () => ({ workspaceRoots: [root], signal: new AbortController().signal });

  before(async () => {
    root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'triage-sniff-')));
    await writeFiles(root, {
      // A rotation gzipped without a .gz name, as logrotate's delaycompress leaves some.
      'logs/app.log.3': gzipSync('2026-11-18T10:00:00Z INFO from the rotation\n'),
      // A NUL past the first few bytes, still inside the sniffed head.
      'logs/core.log': Buffer.concat([Buffer.from('2026-11-18T10:00:00Z INFO looks like text '.repeat(20)), Buffer.from([0]), Buffer.from(' then binary\n')]),
    });
  });
  after(async () => rm(root, { recursive: true, force: true }));

  it('lists a gzipped file by its magic bytes, whatever its name, and reads it decompressed', async () => {
    assert.equal((await describeLogFile(path.join(root, 'logs/app.log.3'), 'logs/app.log.3')).format, 'gzip');
    const read = await readLogTool({}).run({ file: 'logs/app.log.3', start_line: 1, end_line: 1 }, ctx());
    assert.match(read.text, /1\| 2026-11-18T10:00:00Z INFO from the rotation/);
  });

  it('lists a file with a NUL byte as binary, and refuses to read it', async () => {
    assert.equal((await describeLogFile(path.join(root, 'logs/core.log'), 'logs/core.log')).format, 'binary');
    await assert.rejects(readLogTool({}).run({ file: 'logs/core.log', start_line: 1, end_line: 1 }, ctx()), /binary file, not text/);
  });
});

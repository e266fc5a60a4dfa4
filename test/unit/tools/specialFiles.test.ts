import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { listLogFilesTool } from '../../../src/tools/logs/listLogFiles';
import { readLogTool } from '../../../src/tools/logs/readLog';
import { runSearch, type SearchScope } from '../../../src/tools/logs/searchLogs';
import { summarizeLogTool } from '../../../src/tools/logs/summarizeLog';
import { findRipgrepOnPath } from '../../../src/tools/logs/ripgrep';
import { queryMetricsTool } from '../../../src/tools/metrics/queryMetrics';
import { getRecentDeploysTool } from '../../../src/tools/deploys/getRecentDeploys';
import { makeFifo, workspaceWithEscape, type EscapingWorkspace } from '../../fixtures/workspace';

const NOW = Date.UTC(2026, 10, 20, 15, 0);
const REPO = path.resolve(__dirname, '../../..');

/**
 * FIFOs, sockets, devices and folders named like logs, metrics or deploy records. Opening a FIFO
 * to read waits for a writer; a device like /dev/zero never ends. Every tool must answer at once:
 * globs skip them, a path naming one gets a clear message.
 */
describe('FIFOs, sockets, devices and folders named like the files the tools read', function () {
  this.timeout(10_000);
  let ws: EscapingWorkspace;
  let root: string;
  let socket: net.Server;
  let hasDevice = false;
  const rg = findRipgrepOnPath();

  before(async () => {
    ws = await workspaceWithEscape(
      'triage-special',
      {
        'logs/app.log': '2026-11-20T14:00:00Z ERROR payment failed: timeout\n',
        'metrics/latency.csv': 'timestamp,service,metric,value\n2026-11-20T14:00:00Z,payments,latency_p95,0.2\n',
        'deploys.csv': 'service,version,time\npayments,1.2.3,2026-11-20T14:30:00Z\n',
      },
      { link: 'logs/escape.log', content: 'outside\n' },
    );
    root = ws.root;
    await makeFifo(path.join(root, 'logs/pipe.log'));
    await makeFifo(path.join(root, 'metrics/pipe.csv'));
    await makeFifo(path.join(root, '.deploys/pipe.json'));
    await mkdir(path.join(root, 'logs/dir.log'), { recursive: true });
    await mkdir(path.join(root, 'metrics/dir.csv'), { recursive: true });
    socket = net.createServer();
    await new Promise<void>((resolve) => socket.listen(path.join(root, 'logs/socket.log'), resolve));
    try {
      // The character device /dev/zero is (1, 5): reading it never ends. Making one takes root.
      execFileSync('mknod', [path.join(root, 'logs/zero.log'), 'c', '1', '5'], { stdio: 'ignore' });
      hasDevice = true;
    } catch {
      // not root, or no CAP_MKNOD: the device cases are skipped
    }
  });
  after(async () => {
    await new Promise((resolve) => socket.close(resolve));
    await ws.dispose();
  });

  const ctx = (ripgrepPath?: string): SearchScope => ({ workspaceRoots: [root], signal: new AbortController().signal, now: () => NOW, settings: { ripgrepPath } });
  const promptly = async <T>(work: Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const result = await work;
    assert.ok(Date.now() - t0 < 2_000, `answered in ${Date.now() - t0} ms`);
    return result;
  };
  const named = () =>
    [
      ['logs/pipe.log', /logs\/pipe\.log: a FIFO \(named pipe\), not a log file/],
      ['logs/socket.log', /logs\/socket\.log: a socket, not a log file/],
      ['logs/dir.log', /logs\/dir\.log: a folder, not a log file; use list_log_files to see the log files in it/],
      ...(hasDevice ? [['logs/zero.log', /logs\/zero\.log: a device, not a log file/] as const] : []),
    ] as const;

  it('read_log and summarize_log refuse each one at once, saying what it is', async () => {
    for (const [file, message] of named()) {
      await promptly(assert.rejects(readLogTool({}).run({ file, start_line: 1, end_line: 5 }, ctx()), message));
      await promptly(assert.rejects(summarizeLogTool({}).run({ file }, ctx()), message));
    }
  });

  for (const [engine, ripgrepPath] of [
    ['node', undefined],
    ['ripgrep', rg],
  ] as const) {
    it(`search_logs (${engine}) skips them in globs and notes them when named`, async function () {
      if (engine === 'ripgrep' && !ripgrepPath) this.skip();
      const all = await promptly(runSearch({ query: 'timeout' }, ctx(ripgrepPath), NOW));
      assert.equal(all.text, '== logs/app.log ==\n1: [2026-11-20T14:00:00.000Z error] 2026-11-20T14:00:00Z ERROR payment failed: timeout\n1 match in 1 file.');
      const globbed = await promptly(runSearch({ query: 'timeout', files: ['logs/*'] }, ctx(ripgrepPath), NOW));
      assert.equal(globbed.text, all.text);
      const explicit = await promptly(runSearch({ query: 'timeout', files: ['logs/app.log', ...named().map(([file]) => file)] }, ctx(ripgrepPath), NOW));
      for (const [, message] of named()) assert.match(explicit.text, message);
      assert.match(explicit.text, /1 match in 1 file\.$/);
    });
  }

  it('list_log_files leaves them out, and says what a named one is', async () => {
    const { text } = await promptly(listLogFilesTool({}).run({}, ctx()));
    assert.match(text, /^1 log file /);
    assert.doesNotMatch(text, /pipe|socket|dir\.log|zero/);
    assert.equal((await listLogFilesTool({}).run({ glob: 'logs/pipe.log' }, ctx())).text, 'logs/pipe.log is a FIFO (named pipe), not a log file: it is neither listed nor read.');
    assert.equal((await listLogFilesTool({}).run({ glob: 'logs/dir.log' }, ctx())).text, 'logs/dir.log is a folder; list the log files in it with {"glob": "logs/dir.log/**"}.');
    assert.equal((await listLogFilesTool({}).run({ glob: 'logs/none.log' }, ctx())).text, 'No log files match "logs/none.log".');
  });

  it('query_metrics and get_recent_deploys skip a FIFO or folder among metric files and deploy records', async () => {
    const metrics = await promptly(queryMetricsTool({}).run({ service: 'payments', metric: 'latency_p95', time_range_minutes: 180 }, ctx()));
    assert.match(metrics.text, /metrics\/latency\.csv/);
    assert.doesNotMatch(metrics.text, /pipe|dir\.csv|skipped/);
    const deploys = await promptly(getRecentDeploysTool({}).run({ since_minutes: 120 }, ctx()));
    assert.match(deploys.text, /deploy payments 1\.2\.3/);
    assert.doesNotMatch(deploys.text, /pipe|skipped/);
  });

  it('a process that met a FIFO exits as soon as its work is done', async () => {
    // Before, the open of the FIFO held one of libuv's threads for good and the CLI never exited.
    const script = `
      const { readLogTool } = require('./src/tools/logs/readLog');
      readLogTool({}).run({ file: 'logs/pipe.log', start_line: 1, end_line: 2 }, { workspaceRoots: [${JSON.stringify(root)}], signal: new AbortController().signal })
        .then(() => console.log('read'), (err) => console.log('refused: ' + err.message));`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    const t0 = Date.now();
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 8_000);
      child.on('close', (c) => (clearTimeout(timer), resolve(c)));
    });
    assert.equal(code, 0, `exited by itself (after ${Date.now() - t0} ms)`);
    assert.match(out, /refused: \[skipped logs\/pipe\.log: a FIFO \(named pipe\), not a log file\]/);
  });
});

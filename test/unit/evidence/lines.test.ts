import assert from 'node:assert/strict';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { EvidenceVerification } from '../../../src/shared/report';
import { redactSecrets } from '../../../src/security/redaction';
import { readLogTool } from '../../../src/tools/logs/readLog';
import { runSearch } from '../../../src/tools/logs/searchLogs';
import { shownLine } from '../../../src/tools/logs/lineCut';
import { MAX_EXCERPT_LINES } from '../../../src/shared/report';
import { makeFifo, workspaceWithEscape, type EscapingWorkspace } from '../../fixtures/workspace';
import { at, check, logLine, reportWith } from './fixture';

const LOG = 'logs/payments.log';
const SECRET = 'Zq8xR2pLm4vN7wKd';

/** The generated log: one line a second, each with its own order id, and the special lines below at their numbers. */
function paymentsLog(): string[] {
  const lines = Array.from({ length: 400 }, (_, i) => `${at(i + 1)} INFO [payments] charge authorized order=o-${100001 + i} latency_ms=${((i + 1) * 37) % 300}`);
  const set = (line: number, text: string) => (lines[line - 1] = text);
  set(20, `${at(20)} INFO [payments] cache warmed keys=4096 shard=7`);
  set(300, `${at(300)} INFO [payments] cache warmed keys=4096 shard=7`);
  set(50, `${at(50)} WARN [payments] retrying db login url=postgres://app:${SECRET}@db-1:5432/payments`);
  set(60, `${at(60)} DEBUG [payments] payload=${'abcdefghij'.repeat(200)}`);
  set(70, `${at(70)} ERROR [payments] charge failed: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available`);
  set(71, '\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)');
  set(72, '\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:197)');
  set(73, '\tat com.example.payments.ChargeService.charge(ChargeService.java:88)');
  set(74, '\tat com.example.payments.ChargeController.post(ChargeController.java:41)');
  set(75, '\tat com.example.payments.Router.dispatch(Router.java:12)');
  set(80, `${at(80)}   INFO\t[payments]    pool   stats  total=5\tactive=5`);
  set(90, `${at(90)} ERROR [payments] pattern (a+)+$ [.*] \\d{2} failed to compile`);
  set(100, '}');
  set(101, 'OK done here');
  set(390, `${at(390)} WARN [payments] ledger drift detected account=acc-77`);
  return lines;
}

describe('evidence lines: an excerpt checked against the file', () => {
  let ws: EscapingWorkspace;
  let root: string;
  const log = paymentsLog();
  const line = (n: number) => log[n - 1]!;
  const ctx = () => ({ workspaceRoots: [root], signal: new AbortController().signal });

  /** The verification of one cited line. */
  async function verify(file: string, lineNumber: number, excerpt: string): Promise<EvidenceVerification> {
    const result = await check(root, reportWith([logLine(file, lineNumber, excerpt)]));
    return result.report.evidence[0]!.verification;
  }

  before(async () => {
    const rotated = Array.from({ length: 10 }, (_, i) => `2026-11-19T23:00:0${i}Z INFO [payments] nightly batch step=${i}`);
    rotated[4] = '2026-11-19T23:00:04Z WARN [payments] db failover completed primary=db-2';
    ws = await workspaceWithEscape(
      'triage-evidence',
      {
        [LOG]: `${log.join('\n')}\n`,
        'logs/payments.log.1': ['2026-11-20T09:00:00Z INFO [payments] started', '2026-11-20T09:00:01Z INFO [payments] warmup', '2026-11-20T09:00:02Z INFO [payments] warmup done'].join('\n'),
        'logs/payments.log.2.gz': gzipSync(rotated.join('\n')),
        'logs/payments.log-20261118.gz': gzipSync('2026-11-18T10:00:00Z INFO [payments] reconciliation job started batch=b-551\n'),
        'logs/payments.log.bak': '2026-11-17T10:00:00Z INFO [payments] backup copy, not a rotation\n',
        'logs/archive/app.log.gz': gzipSync(
          ['2026-11-20T08:00:00Z INFO app starting', '2026-11-20T08:00:01Z INFO app listening port=8080', '2026-11-20T08:00:02Z WARN app slow start took=4s'].join('\n'),
        ),
        'logs/giant.log': [
          `${at(1)} INFO start`,
          `${at(2)} WARN giant payload=${'x'.repeat(3 * 2 ** 20)}`,
          ...Array.from({ length: 8 }, (_, i) => `${at(i + 3)} INFO after the giant line n=${i + 3}`),
        ].join('\n'),
        'config/payments.yml': 'pool:\n  maximumPoolSize: 50\n  connectionTimeout: 3000\n',
      },
      { link: 'logs/escape.log', content: 'outside the workspace: private\n' },
    );
    root = ws.root;
  });
  after(async () => ws.dispose());

  describe('found at the cited line', () => {
    it('the whole line, verbatim', async () => {
      assert.deepEqual(await verify(LOG, 10, line(10)), { status: 'verified' });
    });

    it('a part of the line', async () => {
      assert.deepEqual(await verify(LOG, 10, 'charge authorized order=o-100010'), { status: 'verified' });
    });

    it(`consecutive lines, up to ${MAX_EXCERPT_LINES}, with their line breaks or joined by a space`, async () => {
      assert.deepEqual(await verify(LOG, 70, [line(70), line(71), line(72)].join('\n')), { status: 'verified' });
      assert.deepEqual(await verify(LOG, 70, 'Connection is not available at com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)'), { status: 'verified' });
      assert.deepEqual(await verify(LOG, 70, log.slice(69, 69 + MAX_EXCERPT_LINES).join('\n')), { status: 'verified' });
    });

    it(`but not more than ${MAX_EXCERPT_LINES} lines`, async () => {
      const six = await verify(LOG, 70, log.slice(69, 70 + MAX_EXCERPT_LINES).join('\n'));
      assert.equal(six.status, 'unverified');
    });

    it('with whitespace collapsed on both sides (tabs, runs of spaces, the ends)', async () => {
      assert.deepEqual(await verify(LOG, 80, `  ${at(80)} INFO [payments] pool stats total=5 active=5 `), { status: 'verified' });
      assert.deepEqual(await verify(LOG, 80, 'pool\tstats    total=5'), { status: 'verified' });
    });

    it('with the secret as the model saw it: [REDACTED:kind]', async () => {
      const redacted = (await redactSecrets(line(50))).text;
      assert.ok(redacted.includes('[REDACTED:') && !redacted.includes(SECRET), `precondition: the line is redacted (${redacted})`);
      assert.deepEqual(await verify(LOG, 50, redacted), { status: 'verified' });
    });

    it('but a marker stands only for the secret: the text around it must still be right', async () => {
      const wrongHost = (await redactSecrets(line(50))).text.replace('db-1', 'db-9');
      assert.equal((await verify(LOG, 50, wrongHost)).status, 'unverified');
    });

    it('a one-line excerpt with … or a marker stays within one line: it cannot join the start of one line to the end of another', async () => {
      // Line 10's start and line 12's order id exist, but not on one line.
      assert.equal((await verify(LOG, 10, `${at(10)} INFO … order=o-100012`)).status, 'unverified');
      assert.equal((await verify(LOG, 10, `${at(10)} INFO [REDACTED:password] order=o-100012`)).status, 'unverified');
    });

    it('with text left out as … or ...', async () => {
      assert.deepEqual(await verify(LOG, 10, `${at(10)} INFO … order=o-100010`), { status: 'verified' });
      assert.deepEqual(await verify(LOG, 10, 'charge authorized ... latency_ms=70'), { status: 'verified' });
    });

    it('but the pieces around an ellipsis must come in the order of the line', async () => {
      assert.equal((await verify(LOG, 10, 'latency_ms=70 … order=o-100010')).status, 'unverified');
    });

    it('a long line as a tool cut it, "… [line cut: N bytes]" and all', async () => {
      const cut = shownLine({ number: 60, text: line(60) }, 800);
      assert.match(cut, /… \[line cut: [\d,]+ bytes\]$/);
      assert.deepEqual(await verify(LOG, 60, cut), { status: 'verified' });
    });

    it("with read_log's line-number prefix copied along", async () => {
      const { text } = await readLogTool({}).run({ file: LOG, around_line: 10, radius: 1 }, ctx());
      const shown = text.split('\n').find((l) => l.startsWith('10| '))!;
      assert.deepEqual(await verify(LOG, 10, shown), { status: 'verified' });
      const three = text.split('\n').filter((l) => /^(10|11|12)\| /.test(l));
      assert.deepEqual(await verify(LOG, 10, three.join('\n')), { status: 'verified' });
    });

    it("with search_logs' prefix copied along: number, time and level", async () => {
      const { text } = await runSearch({ query: 'order=o-100010 ', files: [LOG] }, ctx());
      const shown = text.split('\n').find((l) => l.startsWith('10: '))!;
      assert.match(shown, /^10: \[2026-11-20T14:00:10\.000Z info\] /);
      assert.deepEqual(await verify(LOG, 10, shown), { status: 'verified' });
    });

    it('a line of another kind of file (kind "file")', async () => {
      const result = await check(root, reportWith([{ kind: 'file', file: 'config/payments.yml', line: 2, excerpt: 'maximumPoolSize: 50', why: 'test' }]));
      assert.deepEqual(result.report.evidence[0]!.verification, { status: 'verified' });
    });

    it('a line of a gzip file', async () => {
      assert.deepEqual(await verify('logs/archive/app.log.gz', 2, 'app listening port=8080'), { status: 'verified' });
    });

    it('a short excerpt only when it is the whole line', async () => {
      assert.deepEqual(await verify(LOG, 100, '}'), { status: 'verified' });
      const part = await verify(LOG, 101, 'OK');
      assert.ok(part.status === 'unverified' && /fewer than 8 characters must be a whole line/.test(part.reason), JSON.stringify(part));
    });
  });

  describe('found elsewhere: moved', () => {
    it('a few lines off', async () => {
      assert.deepEqual(await verify(LOG, 13, 'charge authorized order=o-100010'), { status: 'moved', line: 10 });
      assert.deepEqual(await verify(LOG, 7, 'charge authorized order=o-100010'), { status: 'moved', line: 10 });
    });

    it('far from the cited line, and past the end of the file', async () => {
      assert.deepEqual(await verify(LOG, 10, 'ledger drift detected account=acc-77'), { status: 'moved', line: 390 });
      assert.deepEqual(await verify(LOG, 99_999, 'charge authorized order=o-100010'), { status: 'moved', line: 10 });
    });

    it('to the occurrence nearest the cited line', async () => {
      assert.deepEqual(await verify(LOG, 250, 'cache warmed keys=4096 shard=7'), { status: 'moved', line: 300 });
      assert.deepEqual(await verify(LOG, 150, 'cache warmed keys=4096 shard=7'), { status: 'moved', line: 20 });
    });

    it('within a multi-line excerpt, to where its first line is', async () => {
      assert.deepEqual(await verify(LOG, 68, [line(71), line(72)].join('\n')), { status: 'moved', line: 71 });
    });

    it('into a rotation of the file: plain, gzip, dated', async () => {
      assert.deepEqual(await verify(LOG, 5, 'db failover completed primary=db-2'), { status: 'moved', line: 5, file: 'logs/payments.log.2.gz' });
      assert.deepEqual(await verify(LOG, 5, 'INFO [payments] warmup done'), { status: 'moved', line: 3, file: 'logs/payments.log.1' });
      assert.deepEqual(await verify(LOG, 5, 'reconciliation job started batch=b-551'), { status: 'moved', line: 1, file: 'logs/payments.log-20261118.gz' });
    });

    it('from a rotation back to the live file', async () => {
      assert.deepEqual(await verify('logs/payments.log.1', 3, 'ledger drift detected account=acc-77'), { status: 'moved', line: 390, file: LOG });
    });

    it('past a line of megabytes, with the line numbers after it right', async () => {
      assert.deepEqual(await verify('logs/giant.log', 2, 'WARN giant payload=xxxxxxxx'), { status: 'verified' });
      assert.deepEqual(await verify('logs/giant.log', 500, 'WARN giant payload=xxxxxxxx'), { status: 'moved', line: 2 });
      assert.deepEqual(await verify('logs/giant.log', 500, 'INFO after the giant line n=7'), { status: 'moved', line: 7 });
    });

    it('in a gzip file, a few lines off', async () => {
      assert.deepEqual(await verify('logs/archive/app.log.gz', 1, 'app slow start took=4s'), { status: 'moved', line: 3 });
    });
  });

  describe('not found: unverified, with the reason', () => {
    it('an excerpt in neither the file nor its rotations (a file that only looks like one is not searched)', async () => {
      const v = await verify(LOG, 10, 'charge declined order=o-100010');
      assert.deepEqual(v, { status: 'unverified', reason: 'excerpt not in "logs/payments.log" nor in its 3 rotations' });
      assert.equal((await verify(LOG, 10, 'backup copy, not a rotation')).status, 'unverified');
    });

    it('a file that does not exist', async () => {
      assert.deepEqual(await verify('logs/nope.log', 1, 'anything at all here'), { status: 'unverified', reason: 'no such file: "logs/nope.log"' });
    });

    it('a path outside the workspace, relative or absolute, never read', async () => {
      for (const file of ['../escape.log', path.join(ws.outside, 'escape.log'), '/etc/hostname']) {
        assert.deepEqual(await verify(file, 1, 'outside the workspace: private'), { status: 'unverified', reason: `${JSON.stringify(file)} is outside the workspace` }, file);
      }
    });

    it('a symlink that leads out of the workspace', async () => {
      assert.deepEqual(await verify('logs/escape.log', 1, 'outside the workspace: private'), { status: 'unverified', reason: '"logs/escape.log" is outside the workspace' });
    });

    it('a FIFO named like a log, refused without waiting for a writer', async () => {
      await makeFifo(path.join(root, 'logs/pipe.log'));
      assert.deepEqual(await verify('logs/pipe.log', 1, 'whatever a writer would send'), {
        status: 'unverified',
        reason: '"logs/pipe.log" is a FIFO (named pipe), not a regular file',
      });
    });

    it('a folder', async () => {
      assert.deepEqual(await verify('logs/archive', 1, 'app listening port=8080'), { status: 'unverified', reason: '"logs/archive" is a folder, not a regular file' });
    });
  });

  describe('hostile excerpts', () => {
    it('only markers and ellipses, or almost only, match nothing', async () => {
      for (const excerpt of ['[REDACTED:password]', '… [REDACTED:aws_key] ... …', 'a … b', `… [line cut: 2,049 bytes]`]) {
        const v = await verify(LOG, 50, excerpt);
        assert.ok(v.status === 'unverified' && /too little text to check/.test(v.reason), `${excerpt}: ${JSON.stringify(v)}`);
      }
    });

    it('regular-expression characters are plain text', async () => {
      assert.deepEqual(await verify(LOG, 90, 'pattern (a+)+$ [.*] \\d{2} failed'), { status: 'verified' });
      assert.equal((await verify(LOG, 90, 'pattern (a+)+$ [.*] \\d{3} failed')).status, 'unverified');
      assert.equal((await verify(LOG, 10, 'charge .* order=o-100010')).status, 'unverified');
    });

    it('a huge excerpt is refused, and a long one of many pieces is just not found', async () => {
      const huge = await verify(LOG, 10, 'x'.repeat(100_000));
      assert.ok(huge.status === 'unverified' && /too long to check/.test(huge.reason), JSON.stringify(huge));
      assert.equal((await verify(LOG, 10, 'charge … '.repeat(300))).status, 'unverified');
    });
  });

  it('several items in one report, each with its own result', async () => {
    const result = await check(
      root,
      reportWith([
        logLine(LOG, 10, 'order=o-100010'),
        logLine(LOG, 12, 'order=o-100010'),
        logLine(LOG, 10, 'not in the file at all'),
        logLine('logs/nope.log', 1, 'anything at all here'),
        logLine('logs/archive/app.log.gz', 2, 'app listening port=8080'),
      ]),
    );
    assert.deepEqual(
      result.report.evidence.map((e) => e.verification.status),
      ['verified', 'moved', 'unverified', 'unverified', 'verified'],
    );
    assert.deepEqual(result.report.verification, { verified: 2, moved: 1, unverified: 2, timelineDisagreements: 0, resubmitted: false });
  });

  it('the failures name each failing item and what it cited, and quote nothing from the file', async () => {
    const result = await check(
      root,
      reportWith([logLine(LOG, 10, 'order=o-100010'), logLine(LOG, 50, `retrying db login url=postgres://app:WRONG@db-1`), logLine('logs/escape.log', 1, 'private stuff')]),
    );
    assert.equal(result.failures.length, 2);
    const [second, third] = result.failures;
    assert.match(second!, /^Evidence 2 \(log "logs\/payments\.log" line 50\): excerpt not in "logs\/payments\.log" nor in its 3 rotations\. Copy the path, line number and text exactly/);
    assert.match(third!, /^Evidence 3 \(log "logs\/escape\.log" line 1\): "logs\/escape\.log" is outside the workspace\./);
    const shown = [...result.failures, ...result.report.evidence.map((e) => (e.verification.status === 'unverified' ? e.verification.reason : ''))].join('\n');
    for (const secretish of [SECRET, 'postgres://app', 'db-1:5432', 'outside the workspace: private']) assert.ok(!shown.includes(secretish), `"${secretish}" is not quoted`);
  });
});

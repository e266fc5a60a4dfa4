import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TimelineEntry, VerifiedTimelineEntry } from '../../../src/shared/report';
import { writeFiles } from '../../fixtures/workspace';
import { check, logLine, reportWith } from './fixture';

describe('evidence timeline: an entry checked against the timestamp of the line it cites', () => {
  let root: string;
  const evidence = [
    logLine('logs/app.log', 2, 'pool exhausted active=5 waiting=9'),
    logLine('logs/app.log', 3, 'at com.shop.Pool.acquire(Pool.java:42)'),
    logLine('logs/syslog', 1, 'payments[311]: started version=2.14.0'),
    logLine('logs/app.log', 1, 'this line is not in the file'),
    { kind: 'deploy' as const, ref: '2.14.0', why: 'test' },
  ];

  async function entries(timeline: TimelineEntry[]): Promise<{ timeline: VerifiedTimelineEntry[]; failures: string[]; disagreements: number }> {
    const result = await check(root, reportWith(evidence, timeline));
    return { timeline: result.report.timeline, failures: result.failures.filter((f) => f.startsWith('Timeline')), disagreements: result.report.verification.timelineDisagreements };
  }
  const checkOf = async (time: string, cites = 1) => (await entries([{ time, event: 'e', evidence: cites }])).timeline[0]!.check;

  before(async () => {
    root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'triage-evidence-timeline-')));
    await writeFiles(root, {
      'logs/app.log': ['2026-11-20T14:04:00.100Z INFO started', '2026-11-20T14:04:10.412Z WARN pool exhausted active=5 waiting=9', '    at com.shop.Pool.acquire(Pool.java:42)'].join('\n'),
      'logs/syslog': 'Nov 20 14:02:05 host payments[311]: started version=2.14.0\n',
    });
  });
  after(async () => rm(root, { recursive: true, force: true }));

  it('agrees within a minute, whatever precision the entry is written in', async () => {
    for (const time of ['2026-11-20T14:04:10.412Z', '2026-11-20T14:04:10Z', '2026-11-20T14:05:00Z', '2026-11-20T14:04Z', '2026-11-20T14:04', '2026-11-20T15:04:10+01:00', '2026-11-20', '14:04:10']) {
      assert.deepEqual(await checkOf(time), { status: 'agrees' }, time);
    }
  });

  it('disagrees past that, saying where the line is', async () => {
    assert.deepEqual(await checkOf('2026-11-20T14:09:00Z'), { status: 'disagrees', reason: "the line it cites (evidence 1) is at 2026-11-20T14:04:10.412Z, 5 min before this entry's time" });
    assert.equal((await checkOf('2026-11-20T14:02:00Z'))?.status, 'disagrees');
    assert.equal((await checkOf('2026-11-21'))?.status, 'disagrees');
    assert.equal((await checkOf('2026-11-20T14:04:10+01:00'))?.status, 'disagrees', 'an offset is honoured');
  });

  it('a line without a year is compared on what it says: month, day and time', async () => {
    assert.deepEqual(await checkOf('2026-11-20T14:02:05Z', 3), { status: 'agrees' });
    assert.equal((await checkOf('2026-11-20T15:02:05Z', 3))?.status, 'disagrees');
  });

  it('a time that cannot be read disagrees: the model is asked for ISO 8601', async () => {
    assert.deepEqual(await checkOf('right after the deploy'), { status: 'disagrees', reason: 'the time "right after the deploy" is not an ISO 8601 date and time' });
  });

  it('no check for an entry citing nothing, a line without a timestamp, an item not found, or a deploy', async () => {
    const { timeline } = await entries([
      { time: '2026-11-20T14:04:10Z', event: 'no citation' },
      { time: '2026-11-20T10:00:00Z', event: 'a stack frame', evidence: 2 },
      { time: '2026-11-20T10:00:00Z', event: 'unverified', evidence: 4 },
      { time: '2026-11-20T10:00:00Z', event: 'a deploy', evidence: 5 },
    ]);
    assert.deepEqual(
      timeline.map((t) => t.check),
      [undefined, undefined, undefined, undefined],
    );
  });

  it('each disagreement is counted and goes to the model, naming the entry and the item', async () => {
    const { failures, disagreements } = await entries([
      { time: '2026-11-20T14:04:10Z', event: 'fine', evidence: 1 },
      { time: '2026-11-20T13:00:00Z', event: 'an hour off', evidence: 1 },
    ]);
    assert.equal(disagreements, 1);
    assert.deepEqual(failures, [
      'Timeline entry 2 ("2026-11-20T13:00:00Z", citing evidence 1): the line it cites (evidence 1) is at 2026-11-20T14:04:10.412Z, 64 min after this entry\'s time. Give the entry the time of the line, or cite the evidence item it comes from.',
    ]);
  });
});

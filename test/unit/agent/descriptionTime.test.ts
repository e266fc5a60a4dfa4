import assert from 'node:assert/strict';
import { timeFromDescription, type DescriptionTime } from '../../../src/agent/firstLook/descriptionTime';

const NOW = Date.parse('2026-11-20T14:30:00Z');
/** Logs from noon to 14:20 on the day of the run. */
const SPAN = { start: Date.parse('2026-11-20T12:00:00Z'), end: Date.parse('2026-11-20T14:20:00Z') };

type Expected = { time: string; quote: string; note?: RegExp } | { ambiguous: RegExp } | 'none';

/** What the engineer typed → the start it gives (UTC), or why none. */
const TABLE: [description: string, expected: Expected][] = [
  // Clock times, with and without a zone
  ['Checkout is failing since about 14:05 UTC', { time: '2026-11-20T14:05:00Z', quote: '14:05 UTC' }],
  ['errors since 14:05', { time: '2026-11-20T14:05:00Z', quote: '14:05', note: /no zone given: read as UTC/ }],
  ['since 14:05:30Z', { time: '2026-11-20T14:05:30Z', quote: '14:05:30Z' }],
  ['since 15:05+01:00', { time: '2026-11-20T14:05:00Z', quote: '15:05+01:00' }],
  ['since 9:05 EST', { time: '2026-11-20T14:05:00Z', quote: '9:05 EST' }],
  ['since 3:05pm CET', { time: '2026-11-20T14:05:00Z', quote: '3:05pm CET' }],
  ['since 1 p.m.', { time: '2026-11-20T13:00:00Z', quote: '1 p.m.' }],
  ['since noon', { time: '2026-11-20T12:00:00Z', quote: 'noon' }],
  ['yesterday at 9:15 it started', { time: '2026-11-19T09:15:00Z', quote: '9:15' }],
  // Outside the logs: the latest time before now, said so
  ['since 3am', { time: '2026-11-20T03:00:00Z', quote: '3am', note: /the logs do not cover that time on any day/ }],
  // ISO timestamps, pasted lines
  ['at 2026-11-20T14:02:05Z the deploy', { time: '2026-11-20T14:02:05Z', quote: '2026-11-20T14:02:05Z' }],
  ['2026-11-20 14:02 errors', { time: '2026-11-20T14:02:00Z', quote: '2026-11-20 14:02', note: /no zone given/ }],
  ['[2026-11-20T14:04:19.717Z] ERROR charge failed', { time: '2026-11-20T14:04:19.717Z', quote: '2026-11-20T14:04:19.717Z' }],
  // Relative to the run's clock
  ['started 20 minutes ago', { time: '2026-11-20T14:10:00Z', quote: '20 minutes ago' }],
  ['half an hour ago it broke', { time: '2026-11-20T14:00:00Z', quote: 'half an hour ago' }],
  ['errors in the last hour', { time: '2026-11-20T13:30:00Z', quote: 'in the last hour' }],
  ['502s for the past 2h', { time: '2026-11-20T12:30:00Z', quote: 'for the past 2h' }],
  ['last 15 min', { time: '2026-11-20T14:15:00Z', quote: 'last 15 min' }],
  // Several times: the earliest, said so
  ['failing since 14:05, worse at 14:10', { time: '2026-11-20T14:05:00Z', quote: '14:05', note: /the earliest of 2 times in the description \(also "14:10"\)/ }],
  // Ambiguous or impossible: said, never guessed
  ['since 14:05 CST', { ambiguous: /the zone CST could be US Central \(UTC−6\), China \(UTC\+8\)/ }],
  ['since 9am IST', { ambiguous: /the zone IST could be India/ }],
  ['outage at 25:00', { ambiguous: /"25:00" is not a valid time of day/ }],
  ['since 13pm', { ambiguous: /"13pm" is not a valid 12-hour time/ }],
  ['at 2026-02-30T10:00:00Z', { ambiguous: /is not a valid date and time/ }],
  ['999999 hours ago', { ambiguous: /is further back than a month/ }],
  // Not times at all
  ['a last minute change broke checkout', 'none'],
  ['db 10.0.0.1:5432 refused connections', 'none'],
  ['fe80::1:23 unreachable', 'none'],
  ['upgrade to v2:14 failed', 'none'],
  ['retry in 20 minutes', 'none'],
  ['HTTP/1.1 503 everywhere', 'none'],
  ['checkout is broken', 'none'],
  // Hostile text: markup around a time, a time far past where the description is read, a long run of digits and colons
  ['<img src=x onerror=alert(1)> since 14:05 </tool_output>', { time: '2026-11-20T14:05:00Z', quote: '14:05', note: /no zone/ }],
  [`${'a'.repeat(100_000)} since 14:05`, 'none'],
  ['1:2:3:4:5:6:7:8:9:10:11:12:13:14:15:16:17:18:19:20', 'none'],
];

function describeResult(r: DescriptionTime): string {
  return r.kind === 'time' ? `${new Date(r.ms).toISOString()} from "${r.quote}"${r.note ? ` (${r.note})` : ''}` : JSON.stringify(r);
}

describe('the time a description gives', () => {
  for (const [description, expected] of TABLE) {
    it(`${JSON.stringify(description.length > 60 ? `${description.slice(0, 20)}…${description.slice(-20)}` : description)} → ${typeof expected === 'string' ? expected : 'time' in expected ? expected.time : 'ambiguous'}`, () => {
      const got = timeFromDescription(description, { nowMs: NOW, logSpan: SPAN });
      if (expected === 'none') return assert.equal(got.kind, 'none', describeResult(got));
      if ('ambiguous' in expected) {
        assert.equal(got.kind, 'ambiguous', describeResult(got));
        return assert.match(got.reason, expected.ambiguous);
      }
      assert.equal(got.kind, 'time', describeResult(got));
      assert.equal(new Date(got.ms).toISOString(), new Date(expected.time).toISOString());
      assert.equal(got.quote, expected.quote);
      if (expected.note) assert.match(got.note ?? '', expected.note);
    });
  }

  it('places a clock time on the day of the logs that holds it, not on the run’s day', () => {
    const twoDaysLater = Date.parse('2026-11-22T09:00:00Z');
    const got = timeFromDescription('since 14:05', { nowMs: twoDaysLater, logSpan: SPAN });
    assert.equal(got.kind === 'time' && new Date(got.ms).toISOString(), '2026-11-20T14:05:00.000Z');
  });

  it('takes the latest of several days the logs cover, and says so', () => {
    const got = timeFromDescription('since 14:05', { nowMs: NOW, logSpan: { start: Date.parse('2026-11-17T00:00:00Z'), end: SPAN.end } });
    assert.equal(got.kind, 'time');
    assert.equal(got.kind === 'time' && new Date(got.ms).toISOString(), '2026-11-20T14:05:00.000Z');
    assert.match(got.kind === 'time' ? (got.note ?? '') : '', /the logs cover 4 days with that time: took the latest/);
  });

  it('never places a clock time after now: without logs, 16:00 at 14:30 is yesterday’s', () => {
    const got = timeFromDescription('since 16:00', { nowMs: NOW });
    assert.equal(got.kind === 'time' && new Date(got.ms).toISOString(), '2026-11-19T16:00:00.000Z');
  });
});

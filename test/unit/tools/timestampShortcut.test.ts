import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { TimestampParser, type ParsedTimestamp } from '../../../src/tools/logs/timestamps';
import { SHARED_LOGS } from '../../fixtures/loghub/groundTruth';

const REFERENCE = Date.UTC(2026, 10, 22, 12, 0, 0);
const ISO_LINE = '2026-11-20T14:05:01.123Z INFO steady';

/** Counts the lines the ISO shortcut decided, so a test knows it compared something. */
function countShortcuts(parser: TimestampParser): () => number {
  let decided = 0;
  const target = parser as unknown as { isoShortcut(line: string): ParsedTimestamp | undefined };
  const original = target.isoShortcut.bind(parser);
  target.isoShortcut = (line) => {
    const hit = original(line);
    if (hit) decided++;
    return hit;
  };
  return () => decided;
}

/**
 * Runs the lines through a parser with the shortcut and one with the regexes alone, side by side
 * (each remembers the format it saw last, as in a file), and asserts every answer is the same.
 */
function assertSameAnswers(lines: readonly string[], label: string, primeWithIso = false): number {
  const fast = new TimestampParser(REFERENCE);
  const slow = new TimestampParser(REFERENCE, { shortcuts: false });
  const decided = countShortcuts(fast);
  for (const line of lines) {
    // Priming puts both parsers back on ISO, so the shortcut is tried on every line.
    if (primeWithIso) assert.deepEqual(fast.parse(ISO_LINE), slow.parse(ISO_LINE));
    assert.deepEqual(fast.parse(line), slow.parse(line), `${label}: ${JSON.stringify(line)}`);
  }
  return decided() - (primeWithIso ? lines.length : 0);
}

/** Deterministic, so that a failure names a line that fails again. */
function random(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

const HAND_PICKED = [
  '2026-11-20T14:05:01Z x',
  '2026-11-20T14:05:01.123456789Z x',
  '2026-11-20T14:05:01.1234567891Z x',
  '2026-11-20 14:05:01,123 ERROR x',
  '2026-11-20 14:05:01 +0100 x',
  '2026-11-20 14:05:01 -05:00 x',
  '2026-11-20 14:05:01\t+0530 x',
  '2026-11-20 14:05:01\f+0530 x',
  '2026-11-20 14:05:01\u00a0Z x',
  '2026-11-20 14:05:01\u3000-0100 x',
  '2026-11-20 14:05:01  +0100 two spaces',
  '2026-11-20 14:05:01 Zookeeper takes Z as a zone',
  '2026-11-20T14:05:01Z5 digit after Z',
  '2026-11-20T14:05:01Z: colon after Z',
  '2026-11-20T14:05:01+01:00:00 colon after zone',
  '2026-11-20T14:05:01+0100123',
  '2026-11-20T14:05:01+01:0 short',
  '2026-11-20T14:05:01+1 short',
  '2026-11-20T14:05:01.Z dot without digits',
  '2026-11-20T14:05:01,x',
  '2026-11-20T14:05:012 digit after seconds',
  '2026-11-20T4:05:01Z one-digit hour',
  '2026-11-20T24:05:01Z hour 24',
  '2026-11-20T14:60:01Z minute 60',
  '2026-11-20T14:05:60Z leap second',
  '2026-11-20T14:05:61Z second 61',
  '2026-11-20T14:05:69Z second 69',
  '2026-13-20T14:05:01Z month 13',
  '2026-00-20T14:05:01Z month 0',
  '2026-11-00T14:05:01Z day 0',
  '2026-11-32T14:05:01Z day 32',
  '2026-02-31T14:05:01Z February 31st rolls over as Date.UTC does',
  '0099-11-20T14:05:01Z two-digit year',
  '12026-11-20T14:05:01Z five digits',
  '[2026-11-20 14:05:01.123] [INFO] bracketed',
  '{"ts":"2026-11-20T14:05:01.5+02:00","level":"info","msg":"json"}',
  'v2 at 2026-11-20T14:05:01Z digit before',
  `${'x'.repeat(70)} 2026-11-20T14:05:01Z past the prefix`,
  'no digits at all',
  '',
  '2026-11-20T14:05:01',
  '2026-11-20T14:05:0',
  'Nov 20 14:05:01 host sshd[1]: syslog after ISO',
  '2026-11-20T14:05:01Z back to ISO',
  '081109 203615 143 INFO dfs.DataNode: HDFS',
  '2026-11-20T14:05:01Z and ISO again',
];

describe('the ISO timestamp shortcut answers exactly as the regexes do', () => {
  it('on hand-picked shapes: zones with and without a space, fractions of every length, bad fields, prefixes', () => {
    assert.ok(assertSameAnswers(HAND_PICKED, 'in sequence') > 10);
    assert.ok(assertSameAnswers(HAND_PICKED, 'after an ISO line', true) > 20);
  });

  it('on 100,000 random variations of an ISO line', () => {
    const next = random(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(next() * 10))).join('');
    const two = (max: number) => String(Math.floor(next() * max)).padStart(2, '0');
    const prefixes = ['', '', '', '[', '{"time":"', 'at ', 'x1 ', '\t', ' '];
    const separators = ['T', 'T', ' ', 't', '_'];
    const fractions = ['', '', '.', ',', ':', '.x'];
    const spaces = ['', '', ' ', '\t', '  ', '\u00a0', '\v'];
    const zones = ['', 'Z', 'z', '+01:00', '-0500', '+1', '+01:0', '-05:30', '+0100', 'GMT', '+99:99'];
    const tails = ['', ' INFO x', '5', ':', '0', 'Z', ' ', '"', ']', '+01'];
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      const fraction = pick(fractions);
      let line = `${pick(prefixes)}${next() < 0.05 ? digits(5) : digits(4)}-${two(14)}-${two(33)}${pick(separators)}${next() < 0.05 ? digits(1) : two(25)}:${two(61)}:${two(70)}`;
      if (fraction === '.' || fraction === ',') line += fraction + digits(Math.floor(next() * 12));
      else line += fraction;
      line += pick(spaces) + pick(zones) + pick(tails);
      // Now and then a character replaced at random, to reach shapes the lists above do not.
      if (next() < 0.2) {
        const at = Math.floor(next() * line.length);
        line = line.slice(0, at) + pick(['1', '-', ':', ' ', 'T', '.', 'Z', '+']) + line.slice(at + 1);
      }
      lines.push(line);
    }
    const decided = assertSameAnswers(lines, 'random', true);
    assert.ok(decided > 20_000, `the shortcut decided only ${decided} lines`);
  });

  it('on the shared corpus of real logs (Loghub, lnav test logs, access logs), file by file', function () {
    const folders = ['loghub-2k', 'loghub-derived', 'edge-cases', 'access-logs'].map((f) => path.join(SHARED_LOGS, f)).filter(existsSync);
    if (!folders.length) {
      console.log(`    (skipped: the shared log corpus is not at ${SHARED_LOGS})`);
      this.skip();
    }
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const full = path.join(dir, name);
        return statSync(full).isDirectory() ? walk(full) : /\.(csv|gz)$/.test(name) ? [] : [full];
      });
    const files = folders.flatMap(walk);
    let decided = 0;
    for (const file of files) decided += assertSameAnswers(readFileSync(file, 'utf8').split(/\r?\n/), path.basename(file));
    assert.ok(files.length > 100 && decided > 5_000, `${files.length} files, ${decided} lines decided by the shortcut`);
  });
});

import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { findLevel, findLevelAfter } from '../../../src/tools/logs/levels';
import { commonMessageStart, headerMessageOf, messageOf } from '../../../src/tools/logs/minerHeader';
import { TimestampParser } from '../../../src/tools/logs/timestamps';
import { LOGHUB_SYSTEMS, hasLoghub, logPath } from '../../fixtures/loghub/groundTruth';

/** Fails unless the char-code scan, where it answers, starts the message where the regexes do. */
function assertScanAgrees(texts: readonly string[], mtimeMs: number, label: string): number {
  const parser = new TimestampParser(mtimeMs);
  let scanned = 0;
  for (const text of texts) {
    const parsed = parser.parse(text);
    const timestamp = parsed ? { index: parsed.index, length: parsed.length } : undefined;
    const levelEnd = (parsed ? findLevelAfter(text, parsed.index + parsed.length) : findLevel(text))?.end;
    const start = commonMessageStart(text, timestamp, levelEnd);
    const expected = headerMessageOf(text, timestamp, levelEnd);
    assert.equal(messageOf(text, timestamp, levelEnd), expected, `${label}: ${text}`);
    if (start >= 0) {
      scanned++;
      assert.equal(text.slice(start), expected, `${label}: ${text}`);
    }
  }
  return scanned;
}

// The common shape, and each way a line can leave it: what must then be cut by the regexes, or by the scan the same way.
const SHAPES = [
  '2026-11-20T00:00:00.011Z INFO [search] user u-753081 logged in from 10.192.5.9',
  '2026-11-20T00:00:00.024Z INFO [checkout-api] req=39efcd00 GET /api/items/22631 200 67ms',
  '2026-11-20T00:00:00.024Z INFO user logged in',
  '2026-11-20T00:00:00.024Z INFO  [a]   word',
  '2026-11-20T00:00:00.024Z INFO [a] word',
  '2026-11-20T00:00:00.024Z INFO [a] word  padded column',
  '2026-11-20T00:00:00.024Z INFO [a] word\tthen tab',
  '2026-11-20T00:00:00.024Z INFO [a] word.dotted.logger: message',
  '2026-11-20T00:00:00.024Z INFO [a] camelCase: message',
  '2026-11-20T00:00:00.024Z INFO [a] WindowManager: message',
  '2026-11-20T00:00:00.024Z INFO [a] Started service',
  '2026-11-20T00:00:00.024Z INFO [a] HTTP request',
  '2026-11-20T00:00:00.024Z INFO [a] x - message',
  '2026-11-20T00:00:00.024Z INFO [a] - message',
  '2026-11-20T00:00:00.024Z INFO [a] word=value rest',
  '2026-11-20T00:00:00.024Z INFO [a] word: rest',
  '2026-11-20T00:00:00.024Z INFO [a] word[1] rest',
  '2026-11-20T00:00:00.024Z INFO [a] word(x) rest',
  '2026-11-20T00:00:00.024Z INFO [a] word\u00a0nbsp',
  '2026-11-20T00:00:00.024Z INFO [a] wörd umlaut',
  '2026-11-20T00:00:00.024Z INFO [a] word',
  '2026-11-20T00:00:00.024Z INFO [a] word ',
  '2026-11-20T00:00:00.024Z INFO [a]word',
  '2026-11-20T00:00:00.024Z INFO [a [b] c] word rest',
  '2026-11-20T00:00:00.024Z INFO [a] [b] word rest',
  '2026-11-20T00:00:00.024Z INFO [a]\u2003word em space',
  '2026-11-20T00:00:00.024Z INFO | a | b | word rest',
  '2026-11-20T00:00:00.024Z INFO ]), word rest',
  '2026-11-20T00:00:00.024Z INFO: [a] word rest',
  '2026-11-20T00:00:00.024Z INFO',
  '2026-11-20T00:00:00.024Z INFO ',
  '2026-11-20T00:00:00.024Z host sshd[42]: INFO word rest',
  'Nov  9 12:01:01 host kernel: INFO word rest',
  '{"level":"info","msg":"user logged in"} INFO [a] word',
  `2026-11-20T00:00:00.024Z INFO [${'x'.repeat(300)}] word rest`,
  `2026-11-20T00:00:00.024Z INFO [${'x'.repeat(301)}] word rest`,
  `2026-11-20T00:00:00.024Z INFO [a] ${'w'.repeat(60)}  padded`,
  'INFO [a] word without a time',
  '2026-11-20T00:00:00.024Z [a] word without a level',
];

describe('minerHeader: the char-code scan cuts where the regexes cut', () => {
  it('on the common shape and each way out of it', () => {
    const scanned = assertScanAgrees(SHAPES, Date.UTC(2026, 10, 22), 'shapes');
    assert.ok(scanned >= 8, `the scan answered for ${scanned} lines only`);
  });

  it('on every line of the 16 Loghub systems', function () {
    if (!hasLoghub()) this.skip();
    for (const system of LOGHUB_SYSTEMS) {
      const file = logPath(system);
      assertScanAgrees(readFileSync(file, 'utf8').split(/\r?\n/), statSync(file).mtimeMs, system);
    }
  });
});

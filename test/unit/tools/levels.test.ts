import assert from 'node:assert/strict';
import { findLevel, findLevelAfter } from '../../../src/tools/logs/levels';

const TS = '2026-11-20T14:05:01Z';
const WORDS = {
  trace: ['trace', 'trc', 'verbose', 'finest', 'finer'],
  debug: ['debug', 'dbg', 'fine'],
  info: ['info', 'inf', 'information', 'notice'],
  warn: ['warn', 'warning', 'wrn'],
  error: ['error', 'err', 'eror', 'severe'],
  fatal: ['fatal', 'crit', 'critical', 'alert', 'emerg', 'emergency', 'panic'],
};

describe('the level word right after the timestamp', () => {
  it('is found in any case, bare or bracketed, with where it ends', () => {
    for (const [level, words] of Object.entries(WORDS))
      for (const word of words)
        for (const shown of [word, word.toUpperCase(), word[0]!.toUpperCase() + word.slice(1)])
          for (const [before, after, endsAfter] of [
            [' ', ' x', 0],
            [' [', '] x', 1],
            ['\t', ':x', 0],
            [' ', '', 0],
          ] as const) {
            const line = `${TS}${before}${shown}${after}`;
            const start = TS.length + before.length;
            assert.deepEqual(findLevelAfter(line, TS.length), { level, end: start + shown.length + endsAfter }, line);
          }
  });

  it('falls back to the full search when the word there is not a level (also a word Object.prototype knows)', () => {
    for (const word of ['informational', 'errors', 'constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty', 'x', 'request', '123'])
      for (const rest of ['', ' ERROR later', ' {"level":"warn"}', ' nothing here']) {
        const line = `${TS} ${word}${rest}`;
        assert.deepEqual(findLevelAfter(line, TS.length), findLevel(line), line);
      }
    assert.equal(findLevelAfter(`${TS} constructor: x`, TS.length), undefined);
    assert.equal(findLevel('{"level":"constructor","msg":"x"}'), undefined);
  });
});

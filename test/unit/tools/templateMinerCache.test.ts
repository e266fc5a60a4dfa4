import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateLog } from '../../../bench/generateLog';
import { findLevel, findLevelAfter } from '../../../src/tools/logs/levels';
import { skeletonHash } from '../../../src/tools/logs/minerTokens';
import { TemplateMiner, messageOf, tokenize } from '../../../src/tools/logs/templateMiner';
import { TimestampParser } from '../../../src/tools/logs/timestamps';
import { LOGHUB_SYSTEMS, hasLoghub, logPath } from '../../fixtures/loghub/groundTruth';

interface Line {
  text: string;
  timestamp?: { index: number; length: number };
  levelEnd?: number;
}

/** Lines with their timestamp and level end, found the way summarize_log finds them. */
function linesOf(file: string): Line[] {
  const parser = new TimestampParser(statSync(file).mtimeMs);
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((text) => {
      const parsed = parser.parse(text);
      const level = parsed ? findLevelAfter(text, parsed.index + parsed.length) : findLevel(text);
      return { text, ...(parsed ? { timestamp: { index: parsed.index, length: parsed.length } } : {}), ...(level ? { levelEnd: level.end } : {}) };
    });
}

/**
 * Mines the lines three ways, line by line: addLine, addMessage(messageOf(...)), and the uncached
 * path add(tokenize(messageOf(...))); fails at the first line that any two assign differently
 * (template id, or the template's tokens right after the line joined it).
 */
function assertSameAssignments(lines: readonly Line[], label: string): void {
  const byLine = new TemplateMiner();
  const byMessage = new TemplateMiner();
  const uncached = new TemplateMiner();
  const seen = (t: { id: number; tokens: string[] } | undefined) => (t ? `${t.id} ${t.tokens.join(' ')}` : 'none');
  lines.forEach((l, i) => {
    const message = messageOf(l.text, l.timestamp, l.levelEnd);
    const expected = seen(uncached.add(tokenize(message)));
    assert.equal(seen(byLine.addLine(l.text, l.timestamp, l.levelEnd)), expected, `${label} line ${i + 1} (addLine): ${l.text}`);
    assert.equal(seen(byMessage.addMessage(message)), expected, `${label} line ${i + 1} (addMessage): ${l.text}`);
  });
  assert.deepEqual(
    byLine.templates.map((t) => [t.id, t.tokens.join(' '), t.count]),
    uncached.templates.map((t) => [t.id, t.tokens.join(' '), t.count]),
    label,
  );
}

describe('template miner: the skeleton cache never changes a result', () => {
  it('keeps apart lines that differ only in a constant holding a digit', () => {
    const cases = [
      [
        'proxy.example.com:80 open through proxy proxy.cn2.example.com:5070 HTTPS',
        'proxy.example.com:80 open through proxy proxy.cn2.example.com:5070 SOCKS5',
        'proxy.example.com:80 open through proxy proxy.cn2.example.com:5070 SOCKS4',
      ],
      ['negotiated SSH2 with peer 10.0.0.1', 'negotiated SSH1 with peer 10.0.0.2'],
      ['checksum SHA256 ok for part 1', 'checksum SHA1 ok for part 2'],
    ];
    for (const lines of cases)
      assertSameAssignments(
        lines.map((text) => ({ text })),
        lines[0]!,
      );
    const miner = new TemplateMiner();
    const ids = cases[0]!.map((l) => miner.addLine(`2026-01-01 00:00:00 ${l}`, { index: 0, length: 19 })!.id);
    assert.equal(new Set(ids).size, 3, 'HTTPS, SOCKS5 and SOCKS4 are three events');
  });

  /**
   * Words of "Aa" and "BB" blocks: every one of a length has the same polynomial hash (31·t + c, Java's String.hashCode),
   * so a hash lane built on it tells none of them apart, and only the other lane's bits in the key do.
   */
  const polynomialTwins = (blocks: number, count: number) => Array.from({ length: count }, (_, bits) => Array.from({ length: blocks }, (_, i) => (bits & (1 << i) ? 'BB' : 'Aa')).join(''));

  it('keeps apart two names made to collide in one hash lane (whose key kept only 21 bits of the other)', () => {
    const pair = ['AaAaAaAaAaAaAaBBBBBBAaAaAaAaAaAa', 'BBBBAaAaBBBBBBBBAaAaBBAaAaAaAaAa'];
    assertSameAssignments(
      pair.map((name) => ({ text: `user ${name} x` })),
      'polynomial twins',
    );
  });

  it('gives 8,192 names that collide in a polynomial hash 8,192 skeleton keys', () => {
    // With 21 bits of one lane deciding, about 16 pairs of them would share a key (8192² / 2 / 2^21).
    const keys = new Set(polynomialTwins(13, 8192).map((name) => skeletonHash(`user ${name} logged in`, 0)));
    assert.equal(keys.size, 8192);
  });

  it('assigns alike whatever digits the values and the headers hold', () => {
    const lines = [
      '2026-01-01 00:00:00 INFO [main] org.a.B: GET /v1/items HTTP/1.1 200 from ipv4 10.0.0.1',
      '2026-01-01 00:00:01 INFO [main] org.a.B: GET /v2/items HTTP/2.0 200 from ipv6 fe80::1',
      '2026-01-01 00:00:02 INFO [main] org.a.B: digest sha1 3f786850e387550fdab836ed7e6dc881de23001b of 12a',
      '2026-01-01 00:00:03 INFO [main] org.a.B: digest md5 d41d8cd98f00b204e9800998ecf8427e of 9f9',
      'Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4',
      'Jun 14 15:16:02 combo sshd(pam_unix)[1a]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4',
      'Jun 14 15:16:03 combo kernel: at Fri Jun 17 07:07:00 2005 and at Jun 170 07:07',
      'Jun 14 15:16:04 combo kernel: at Fri Jun 17 07:07:00 2005 and at Jun 17 07:07',
      '2026-01-01 00:00:05 WARN [pool-1] svc: took 12ms (1.2 KB) for user u1@host2',
      '2026-01-01 00:00:06 WARN [pool-2] svc: took 3 ms (1.2 KB) for user u1@host2',
      '{"ts":"2026-01-01T00:00:07Z","msg":"pool 7 exhausted","level":"error"}',
    ];
    const stamp = (text: string) => (text.startsWith('Jun') ? { index: 0, length: 15 } : text.startsWith('{') ? { index: 7, length: 20 } : { index: 0, length: 19 });
    assertSameAssignments(
      lines.map((text) => ({ text, timestamp: stamp(text) })),
      'targeted lines',
    );
  });

  it('on every Loghub-2k file', function () {
    if (!hasLoghub()) this.skip();
    for (const system of LOGHUB_SYSTEMS) assertSameAssignments(linesOf(logPath(system)), system);
  });

  it('on a generated service log', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(path.join(tmpdir(), 'miner-cache-'));
    try {
      const file = path.join(dir, 'service.log');
      await generateLog(file, 4 * 2 ** 20);
      assertSameAssignments(linesOf(file), 'generated log');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

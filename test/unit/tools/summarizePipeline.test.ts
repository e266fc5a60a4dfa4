import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { findLevel, findLevelAfter, type Level } from '../../../src/tools/logs/levels';
import { MAX_LINE_BYTES, readLines } from '../../../src/tools/logs/lineReader';
import { formatSummary, summarizeFile, type LogSummary } from '../../../src/tools/logs/summarizeLog';
import { TemplateMiner, messageOf } from '../../../src/tools/logs/templateMiner';
import { TimestampParser } from '../../../src/tools/logs/timestamps';

const BUCKET_SIZES = [60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000];

/**
 * summarize_log's pass written the plain way, as it was before it was made fast: a LogLine per
 * line, the timestamp regexes alone, level counts in objects, a Map lookup per bucket. The fast
 * pass must give the same summary, whatever the miner does (both use the same one).
 */
async function plainSummary(file: string): Promise<LogSummary> {
  const st = await stat(file);
  const timestamps = new TimestampParser(st.mtimeMs, { shortcuts: false });
  const miner = new TemplateMiner();
  const stats = new Map<number, LogSummary['templates'][number]>();
  const s: LogSummary = { bytes: st.size, lines: 0, timestamped: 0, backwardSteps: 0, levels: {}, bucketMs: BUCKET_SIZES[0]!, buckets: new Map(), templates: [], untemplated: 0 };
  let lastTs: number | undefined;
  const recentErrors: { ts: number; line: number }[] = [];
  const countInBucket = (ts: number, key: Level | 'other'): void => {
    const b = Math.floor(ts / s.bucketMs) * s.bucketMs;
    let counts = s.buckets.get(b);
    if (!counts) {
      if (s.buckets.size >= 5_000) {
        const next = BUCKET_SIZES.find((size) => size > s.bucketMs) ?? s.bucketMs * 2;
        const out: LogSummary['buckets'] = new Map();
        for (const [start, c] of s.buckets) {
          const target = out.get(Math.floor(start / next) * next) ?? {};
          for (const [k, v] of Object.entries(c)) target[k as Level] = (target[k as Level] ?? 0) + (v ?? 0);
          out.set(Math.floor(start / next) * next, target);
        }
        s.buckets = out;
        s.bucketMs = next;
        return countInBucket(ts, key);
      }
      s.buckets.set(b, (counts = {}));
    }
    counts[key] = (counts[key] ?? 0) + 1;
  };
  for await (const line of readLines(file)) {
    s.lines++;
    const parsed = timestamps.parse(line.text);
    if (parsed) {
      s.timestamped++;
      if (lastTs !== undefined && parsed.ms < lastTs) s.backwardSteps++;
      lastTs = parsed.ms;
      if (s.first === undefined || parsed.ms < s.first) s.first = parsed.ms;
      if (s.last === undefined || parsed.ms > s.last) s.last = parsed.ms;
    }
    const found = parsed ? findLevelAfter(line.text, parsed.index + parsed.length) : findLevel(line.text);
    const level = found?.level;
    if (level) s.levels[level] = (s.levels[level] ?? 0) + 1;
    const ts = parsed?.ms ?? lastTs;
    if (ts !== undefined) countInBucket(ts, level ?? 'other');
    if (level === 'error' || level === 'fatal') {
      s.firstError ??= { line: line.number, ...(ts !== undefined ? { ts } : {}) };
      if (ts !== undefined && !s.burst) {
        recentErrors.push({ ts, line: line.number });
        while (recentErrors.length && ts - recentErrors[0]!.ts > 60_000) recentErrors.shift();
        if (recentErrors.length >= 5) s.burst = { startLine: recentErrors[0]!.line, start: recentErrors[0]!.ts, count: recentErrors.length };
      } else if (ts !== undefined && s.burst && ts >= s.burst.start && ts - s.burst.start <= 60_000) {
        s.burst.count++;
      }
    }
    const template = miner.addMessage(messageOf(line.text, parsed, found?.end));
    if (!template) {
      s.untemplated++;
      continue;
    }
    let t = stats.get(template.id);
    if (!t) stats.set(template.id, (t = { template, levels: {}, sampleLine: line.number }));
    if (level) t.levels[level] = (t.levels[level] ?? 0) + 1;
    if (ts !== undefined) {
      if (t.first === undefined || ts < t.first) t.first = ts;
      if (t.last === undefined || ts > t.last) t.last = ts;
    }
  }
  s.templates = [...stats.values()].sort((a, b) => b.template.count - a.template.count);
  return s;
}

function random(seed: number): () => number {
  return () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
}

/** A log that tries every branch of the pass: levels after and away from the timestamp, zones, disorder, continuation and blank lines, JSON, syslog, bursts. */
function mixedLog(lines: number, seed: number, spanDays: number): string {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const out: string[] = [];
  let t = Date.UTC(2026, 10, 1);
  const step = (spanDays * 86_400_000) / lines;
  for (let i = 0; i < lines; i++) {
    t += Math.floor(next() * 2 * step) - (next() < 0.02 ? 5 * step : 0);
    const iso = new Date(t).toISOString();
    const level = pick(['INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR', 'ERROR', 'FATAL', 'info', '[warn]', 'Warning:', 'TRACE', 'notice']);
    const message = pick([
      `user u-${i} logged in from 10.0.${i % 255}.${i % 7}`,
      `charge failed after ${i % 900}ms: pool exhausted`,
      `cache ${pick(['hit', 'miss'])} for key k${i % 50}`,
      `job ${pick(['nightly', 'hourly'])} finished`,
      'heartbeat',
      '',
    ]);
    const r = next();
    if (r < 0.45) out.push(`${iso} ${level} [${pick(['api', 'db', 'worker'])}] ${message}`);
    else if (r < 0.55) out.push(`${iso.slice(0, 10)} ${iso.slice(11, 19)} ${pick(['+0100', '-05:00', 'Z'])} ${level} ${message}`);
    else if (r < 0.62) out.push(`[${iso}] host-${i % 3} ${message} ${level}`);
    else if (r < 0.7) out.push(JSON.stringify({ ts: iso, level: level.replace(/\W/g, '').toLowerCase(), msg: message }));
    else if (r < 0.76) out.push(`${new Date(t).toUTCString().slice(8, 11)} ${new Date(t).getUTCDate()} ${iso.slice(11, 19)} host sshd[${i}]: ${message}`);
    else if (r < 0.84) out.push(`    at com.shop.Pool.acquire(Pool.java:${i % 99})`);
    else if (r < 0.88) out.push('');
    else out.push(`${iso} ERROR burst ${pick(['timeout', 'refused'])} talking to db-${i % 4}`);
  }
  return out.join(next() < 0.5 ? '\n' : '\r\n');
}

/** More distinct messages than the miner keeps templates for: the rest go untemplated. */
function manyTemplates(lines: number): string {
  const next = random(3);
  const word = () => Array.from({ length: 6 }, () => String.fromCharCode(97 + Math.floor(next() * 26))).join('');
  return Array.from({ length: lines }, (_, i) => `2026-11-20T14:${String(i % 60).padStart(2, '0')}:00Z ${i % 3 ? 'INFO' : 'WARN'} ${word()} ${word()} ${word()}`).join('\n');
}

/**
 * Bytes that the reader hands over as strings among ASCII stretches that summarize_log reads as
 * bytes: invalid and valid UTF-8 in timestamped lines, a lone CR, lines past MAX_LINE_BYTES (one
 * with a CRLF the cut keeps), and a line of exactly MAX_LINE_BYTES, between mixed lines that
 * cross the 1 MiB blocks of a plain file and the chunks of a gzip one.
 */
function hostileBytes(): Buffer {
  const lines = mixedLog(40_000, 6, 1).split('\n');
  const odd = [
    Buffer.from([0x62, 0xe9, 0x0a, 0xc3, 0x0a, 0xe2, 0x82, 0x0d, 0x0a, 0xf0, 0x9f, 0x9a, 0x0a, 0xff, 0xfe, 0x41, 0x0a]),
    Buffer.concat([Buffer.from('2026-11-01T10:00:00Z INFO [caf'), Buffer.from([0xe9]), Buffer.from('] user u-1 logged in from 10.0.0.1\n')]),
    Buffer.from('2026-11-01T10:00:01Z INFO [café] user u-2 logged in from 10.0.0.2\n'),
    Buffer.from('2026-11-01T10:00:02Z WARN [api] lone \r carriage return\n'),
    Buffer.from(`2026-11-01T10:00:03Z ERROR [big] payload ${'x'.repeat(MAX_LINE_BYTES + 5)}\r\n`),
    Buffer.from(`2026-11-01T10:00:04Z ERROR [big] payload ${'y'.repeat(MAX_LINE_BYTES - 42)}\n`),
    Buffer.from(`2026-11-01T10:00:05Z INFO [big] payload ${'z'.repeat(3 * MAX_LINE_BYTES)}\n`),
  ];
  const parts: Buffer[] = [];
  lines.forEach((line, i) => {
    parts.push(Buffer.from(`${line}\n`));
    const at = (i - 1_234) / 5_000;
    if (at >= 0 && at < odd.length && Number.isInteger(at)) parts.push(odd[at]!);
  });
  return Buffer.concat(parts);
}

describe('summarize_log: the fast pass gives what the plain pass gives', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'triage-summary-'))));
  after(async () => rm(dir, { recursive: true, force: true }));

  const cases: [string, () => string | Buffer][] = [
    ['mixed shapes over a day', () => mixedLog(20_000, 1, 1)],
    ['mixed shapes over 40 days (the buckets coarsen twice)', () => mixedLog(30_000, 2, 40)],
    ['mixed shapes, gzipped', () => gzipSync(mixedLog(5_000, 4, 2))],
    ['hostile bytes among ASCII lines, plain', hostileBytes],
    ['hostile bytes among ASCII lines, gzipped', () => gzipSync(hostileBytes())],
    ['past the template limit', () => manyTemplates(5_000)],
    ['no timestamps at all', () => mixedLog(2_000, 5, 1).replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'then')],
    ['empty', () => ''],
  ];
  for (const [name, content] of cases) {
    it(name, async () => {
      const file = path.join(dir, `${name.replace(/\W+/g, '-')}.log`);
      await writeFile(file, content());
      const [fast, plain] = [await summarizeFile(file), await plainSummary(file)];
      assert.deepEqual(fast, plain);
      // The order a template's levels came in breaks a tie for the level it is shown with.
      assert.deepEqual(
        fast.templates.map((t) => Object.keys(t.levels)),
        plain.templates.map((t) => Object.keys(t.levels)),
      );
      for (const bucket of [undefined, '1m', '1h', '1d'] as const) assert.equal(formatSummary('x.log', fast, bucket), formatSummary('x.log', plain, bucket));
      if (name.startsWith('mixed')) assert.ok(fast.timestamped > 0 && fast.templates.length > 5 && fast.burst);
      if (name.includes('40 days')) assert.ok(fast.bucketMs > BUCKET_SIZES[1]!, `buckets of ${fast.bucketMs} ms`);
      if (name.includes('limit')) assert.ok(fast.untemplated > 0);
    });
  }
});

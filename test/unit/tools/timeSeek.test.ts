import assert from 'node:assert/strict';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { MIN_SEEK_BYTES, SEEK_MARGIN_MS, planTimeRead } from '../../../src/tools/logs/timeSeek';
import type { LogTarget } from '../../../src/tools/logs/targets';
import { compareWindows, type ComparisonWindows, type WindowComparison } from '../../../src/tools/logs/windowComparison';
import { readLineBatches } from '../../../src/tools/logs/lineReader';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 20, 0, 0, 0);
/** Lines of about 90 bytes every 60 ms over 12 hours: about 64 MiB, past MIN_SEEK_BYTES. */
const STEP_MS = 60;
const SPAN_MS = 12 * HOUR;
const WINDOWS: ComparisonWindows = { incident: { start: T0 + 6 * HOUR, end: T0 + 7 * HOUR }, baseline: { start: T0 + 5 * HOUR, end: T0 + 6 * HOUR } };

/**
 * A time-ordered service log: steady background templates; a heartbeat every minute that stops at
 * 6:00; a new error from 6:10; stack-trace lines under some errors. `edit` may rewrite each line.
 */
async function writeLog(file: string, options: { headUntimed?: number; edit?: (line: string, ms: number) => string | undefined } = {}): Promise<void> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const chunk: string[] = [];
  for (let i = 0; i < (options.headUntimed ?? 0); i++) chunk.push(`starting worker ${i} (no timestamp yet)`);
  let n = 0;
  for (let ms = T0; ms < T0 + SPAN_MS; ms += STEP_MS, n++) {
    const time = new Date(ms).toISOString();
    let line = `${time} INFO [checkout] request ${n} served in ${n % 300}ms for user u-${(n * 7919) % 100_000} from 10.0.${n % 250}.${n % 7}`;
    if (ms % 60_000 === 0 && ms < T0 + 6 * HOUR) line = `${time} INFO [scheduler] heartbeat ok seq=${n}`;
    else if (n % 997 === 0) line = `${time} ERROR [payments] card processor returned ${n % 5} retries left\n    at Processor.charge (processor.js:${n % 90})`;
    else if (ms >= T0 + 6 * HOUR + 600_000 && n % 101 === 0) line = `${time} ERROR [payments] ledger write refused: quota exhausted for shard ${n % 13}`;
    const edited = options.edit ? options.edit(line, ms) : line;
    if (edited !== undefined) chunk.push(edited);
    if (chunk.length >= 10_000) {
      if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain');
      chunk.length = 0;
    }
  }
  out.end(chunk.length ? chunk.join('\n') + '\n' : '');
  await once(out, 'finish');
}

async function gzipped(file: string): Promise<string> {
  await pipeline(createReadStream(file), createGzip({ level: 1 }), createWriteStream(`${file}.gz`));
  return `${file}.gz`;
}

async function targetOf(real: string, gzip = false): Promise<LogTarget> {
  // The same name for a file and its gzip copy: the comparisons' occurrences then name the same file.
  return { real, relative: 'logs/app.log', gzip, mtimeMs: (await stat(real)).mtimeMs };
}

/** What a comparison found, without what says how much was read: the notes, the line counts, the latest time read. */
function findings(c: WindowComparison) {
  const { notes: _notes, files, lines, logSpan, ...rest } = c;
  return { ...rest, logStart: logSpan?.start, files: files.map(({ lines: _l, ...f }) => f), lines: { incident: lines.incident, baseline: lines.baseline, untimed: lines.untimed } };
}

describe('reading only the time a comparison needs (timeSeek)', function () {
  this.timeout(120_000);
  let dir: string;
  let plain: string;
  let full: WindowComparison;

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'triage-seek-'));
    plain = path.join(dir, 'app.log');
    await writeLog(plain, { headUntimed: 3 });
    assert.ok((await stat(plain)).size > MIN_SEEK_BYTES, 'the log must be large enough to be sought');
    // A gzip file is always read whole: its comparison is the reference.
    full = await compareWindows([await targetOf(await gzipped(plain), true)], WINDOWS);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('starts at the last line 5 minutes before the windows, numbered as in the file, and stops 5 minutes past them', async () => {
    const plan = await planTimeRead(await targetOf(plain), { start: WINDOWS.baseline.start, end: WINDOWS.incident.end });
    const start = plan.start!;
    assert.ok(start.offsetMs < WINDOWS.baseline.start - SEEK_MARGIN_MS, 'before the margin');
    assert.ok(start.offsetMs > WINDOWS.baseline.start - SEEK_MARGIN_MS - 10 * 60_000, 'but not far before it');
    assert.equal(start.untimed, 3);
    assert.equal(start.firstMs, T0);
    assert.equal(plan.stopAtMs, WINDOWS.incident.end + SEEK_MARGIN_MS);
    // The line number is right: reading the file from its top reaches the same text at that line.
    const fromTop = await lineAt(plain, start.line);
    for await (const [fromSeek] of readLineBatches(plain, undefined, start)) {
      assert.equal(fromSeek!.number, start.line);
      assert.equal(fromSeek!.text, fromTop);
      break;
    }
  });

  it('finds what a whole read finds: the new error, the quiet heartbeat, every count and first occurrence with its line number', async () => {
    const sought = await compareWindows([await targetOf(plain)], WINDOWS);
    assert.deepEqual(findings(sought), findings(full));
    assert.deepEqual(
      sought.new.map((t) => t.template),
      ['ledger write refused: quota exhausted for shard <*>'],
    );
    assert.deepEqual(
      sought.quiet.map((t) => t.template),
      ['heartbeat ok seq=<*>'],
    );
    const notes = sought.notes.join('\n');
    const skipped = Number(/lines 1-([\d,]+) skipped unread: its timestamps rise through the file/.exec(notes)![1]!.replaceAll(',', ''));
    const stoppedAt = Number(/read up to line ([\d,]+); line [\d,]+ is at 2026-11-20T07:05:00\.\d{3}Z, 5 minutes past both windows/.exec(notes)![1]!.replaceAll(',', ''));
    // About 4h55 of 12 hours skipped, 4h55 of 12 left unread at the end.
    const total = full.files[0]!.lines;
    assert.ok(skipped > total * 0.4 && total - stoppedAt > total * 0.4, `skipped ${skipped}, stopped at ${stoppedAt} of ${total}`);
    assert.equal(sought.files[0]!.lines, stoppedAt);
  });

  it('reads a file whole when its times do not rise through it (a late stretch pasted in the middle)', async () => {
    // Lines of 9:00-10:00 written a second time at 3:00: probes there see time go back.
    const late: string[] = [];
    await writeLog(os.devNull, {
      edit: (line, ms) => {
        if (ms >= T0 + 9 * HOUR && ms < T0 + 10 * HOUR) late.push(line);
        return line;
      },
    });
    const shuffled = path.join(dir, 'shuffled.log');
    let inserted = false;
    await writeLog(shuffled, {
      edit: (line, ms) => {
        if (!inserted && ms >= T0 + 3 * HOUR) {
          inserted = true;
          return `${late.join('\n')}\n${line}`;
        }
        return line;
      },
    });
    assert.deepEqual(await planTimeRead(await targetOf(shuffled), { start: WINDOWS.baseline.start, end: WINDOWS.incident.end }), {});
    const c = await compareWindows([await targetOf(shuffled)], WINDOWS);
    assert.ok(!c.notes.some((n) => n.includes('skipped unread') || n.includes('read up to line')), c.notes.join('\n'));
  });

  it('reads a file whole when a probe finds no timestamp, when it is small, and when it is gzip', async () => {
    const untimed = path.join(dir, 'untimed-middle.log');
    // Hours 4-5 logged without timestamps: a probe landing there cannot tell where it is.
    await writeLog(untimed, { edit: (line, ms) => (ms >= T0 + 4 * HOUR && ms < T0 + 5 * HOUR ? line.slice(25) : line) });
    const span = { start: WINDOWS.baseline.start, end: WINDOWS.incident.end };
    assert.deepEqual(await planTimeRead(await targetOf(untimed), span), {});
    const small = path.join(dir, 'small.log');
    await writeFile(small, `${new Date(T0).toISOString()} INFO one line\n${new Date(T0 + 8 * HOUR).toISOString()} INFO another\n`);
    assert.deepEqual(await planTimeRead(await targetOf(small), span), {});
    assert.deepEqual(await planTimeRead(await targetOf(`${plain}.gz`, true), span), {});
  });

  it('does not skip when the windows start at the top of the file', async () => {
    const plan = await planTimeRead(await targetOf(plain), { start: T0 + 60_000, end: T0 + HOUR });
    assert.equal(plan.start, undefined);
    assert.equal(plan.stopAtMs, T0 + HOUR + SEEK_MARGIN_MS);
  });
});

async function lineAt(file: string, number: number): Promise<string | undefined> {
  for await (const batch of readLineBatches(file)) {
    const hit = batch.find((l) => l.number === number);
    if (hit) return hit.text;
    if (batch.at(-1)!.number > number) return undefined;
  }
  return undefined;
}

/**
 * npm run bench:miner [-- --mb 64]
 *
 * Throughput of the template miner alone (header cut, masking, clustering), in MB/s of log text,
 * against main's miner measured in the same run on the same lines: a generated service log
 * (bench/generateLog.ts) and the 16 Loghub-2k samples, one fresh miner per file as summarize_log
 * uses them. Timestamps and levels are found before timing, by the same calls summarize_log
 * makes, so only the miner is measured. Main's miner is taken from git at run time into .bench/main-logs/.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateLog } from './generateLog';
import { findLevel, findLevelAfter } from '../src/tools/logs/levels';
import { TemplateMiner, messageOf } from '../src/tools/logs/templateMiner';
import { TimestampParser } from '../src/tools/logs/timestamps';
import { LOGHUB_SYSTEMS, hasLoghub, logPath } from '../test/fixtures/loghub/groundTruth';

const ROOT = path.resolve(__dirname, '..');
const DIR = path.join(ROOT, '.bench');

interface Prepared {
  text: string;
  timestamp: { index: number; length: number } | undefined;
  levelEnd: number | undefined;
}

interface MinerLike {
  addMessage(message: string): unknown;
}

/** Lines with their timestamp and level end, found the way summarize_log finds them. */
function prepare(file: string, maxBytes = Infinity): { lines: Prepared[]; bytes: number } {
  const raw = readFileSync(file, 'utf8');
  const text = raw.length > maxBytes ? raw.slice(0, raw.lastIndexOf('\n', maxBytes)) : raw;
  const parser = new TimestampParser(statSync(file).mtimeMs);
  const lines = text.split(/\r?\n/).map((line) => {
    const parsed = parser.parse(line);
    const level = parsed ? findLevelAfter(line, parsed.index + parsed.length) : findLevel(line);
    return { text: line, timestamp: parsed ? { index: parsed.index, length: parsed.length } : undefined, levelEnd: level?.end };
  });
  return { lines, bytes: Buffer.byteLength(text) };
}

/** Seconds for the best of `rounds` passes, each with fresh miners (one per file). */
function best(rounds: number, files: Prepared[][], pass: (lines: Prepared[]) => void): number {
  let fastest = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const lines of files) pass(lines);
    fastest = Math.min(fastest, (performance.now() - t0) / 1000);
  }
  return fastest;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const mb = Number(args[args.indexOf('--mb') + 1] ?? 0) || 64;
  mkdirSync(DIR, { recursive: true });
  // The miner imports its neighbours (minerHeader.ts, minerTokens.ts): main's whole folder is taken, not the one file.
  const mainDir = path.join(DIR, 'main-logs');
  mkdirSync(mainDir, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  for (const file of git('ls-tree', '--name-only', 'main', 'src/tools/logs/')
    .split('\n')
    .filter((f) => f.endsWith('.ts')))
    writeFileSync(path.join(mainDir, path.basename(file)), git('show', `main:${file}`));
  const old = (await import(path.join(mainDir, 'templateMiner.ts'))) as { TemplateMiner: new () => MinerLike; messageOf: typeof messageOf };

  const generated = path.join(DIR, `miner-${mb}MB.log`);
  if (!existsSync(generated) || statSync(generated).size < mb * 2 ** 20) await generateLog(generated, mb * 2 ** 20);
  const corpora: [string, Prepared[][], number][] = [];
  const gen = prepare(generated);
  corpora.push([`generated service log (${(gen.bytes / 2 ** 20).toFixed(0)} MiB)`, [gen.lines], gen.bytes]);
  if (hasLoghub()) {
    const files = LOGHUB_SYSTEMS.map((s) => prepare(logPath(s)));
    corpora.push(['Loghub-2k, 16 files', files.map((f) => f.lines), files.reduce((a, f) => a + f.bytes, 0)]);
  } else console.error('(the shared Loghub corpus is absent: generated log only)');

  const rows = ['| lines | main: addMessage(messageOf) | this branch: addMessage(messageOf) | this branch: addLine | addLine vs main |', '|---|---:|---:|---:|---:|'];
  for (const [label, files, bytes] of corpora) {
    const rounds = bytes > 2 ** 24 ? 3 : 20;
    const mainS = best(rounds, files, (lines) => {
      const m = new old.TemplateMiner();
      for (const l of lines) m.addMessage(old.messageOf(l.text, l.timestamp, l.levelEnd));
    });
    const oursMessageS = best(rounds, files, (lines) => {
      const m = new TemplateMiner();
      for (const l of lines) m.addMessage(messageOf(l.text, l.timestamp, l.levelEnd));
    });
    const oursLineS = best(rounds, files, (lines) => {
      const m = new TemplateMiner();
      for (const l of lines) m.addLine(l.text, l.timestamp, l.levelEnd);
    });
    const mbps = (s: number) => (bytes / 2 ** 20 / s).toFixed(0);
    rows.push(`| ${label} | ${mbps(mainS)} MB/s | ${mbps(oursMessageS)} MB/s | ${mbps(oursLineS)} MB/s | ${(mainS / oursLineS).toFixed(2)}× |`);
  }
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown CPU';
  console.log(`${rows.join('\n')}\n\nMeasured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:miner\` on ${cpu}, Node ${process.version}; best of several passes, fresh miners each pass.`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

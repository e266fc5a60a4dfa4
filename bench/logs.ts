/**
 * npm run bench:logs [-- --mb 1024] [-- --update-readme]
 *
 * Generates a log of the given size (default 1 GiB) with planted needles and measures, in one run:
 * search_logs (literal and regex, via ripgrep and via the pure-Node scan) against `rg -j1` and
 * `grep`, summarize_log and compare_log_windows throughput, and the peak RSS growth of each of our
 * operations. Each of
 * our operations runs in a fresh process, so its memory figure is its own.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NEEDLES, generateLog } from './generateLog';
import { runSearch } from '../src/tools/logs/searchLogs';
import { summarizeFile } from '../src/tools/logs/summarizeLog';
import { findRipgrepOnPath } from '../src/tools/logs/ripgrep';
import { runComparison } from '../src/tools/logs/compareLogWindows';
import { lastTimestamp } from '../src/tools/logs/comparisonWindows';
import { TimestampParser } from '../src/tools/logs/timestamps';

const ROOT = path.resolve(__dirname, existsSync(path.resolve(__dirname, '..', 'package.json')) ? '..' : '../..');
const DIR = path.join(ROOT, '.bench');
const REGEX = `${NEEDLES.regexHits}\\d+`;

interface OpResult {
  seconds: number;
  rssGrowthMb: number;
  check: string;
}

/** Runs inside the child: one operation, timed, with its peak memory above the starting point. */
async function runOp(op: string, file: string): Promise<void> {
  const rg = findRipgrepOnPath();
  const ctx = (ripgrepPath?: string) => ({ workspaceRoots: [DIR], signal: new AbortController().signal, settings: { ripgrepPath } });
  const name = path.basename(file);
  const span = await timeSpanOf(file);
  const ops: Record<string, () => Promise<string>> = {
    'search-literal-rg': async () => (await runSearch({ query: NEEDLES.literal, files: [name] }, ctx(rg))).text,
    'search-literal-node': async () => (await runSearch({ query: NEEDLES.literal, files: [name] }, ctx())).text,
    'search-regex-rg': async () => (await runSearch({ query: REGEX, regex: true, files: [name] }, ctx(rg))).text,
    'search-regex-node': async () => (await runSearch({ query: REGEX, regex: true, files: [name] }, ctx())).text,
    summarize: async () => {
      const s = await summarizeFile(file);
      return `${s.lines} lines, ${s.templates.length} templates`;
    },
    // The last hour against the hour before: most of the file is outside both windows and only has its timestamps read.
    'compare-last-hour': async () => comparisonCheck(await runComparison({ incident_start: iso(span.end - 3_600_000), files: [name] }, ctx())),
    // Both halves of the file: every line is mined, the heaviest case.
    'compare-whole-file': async () => comparisonCheck(await runComparison({ incident_start: iso((span.start + span.end) / 2), files: [name] }, ctx())),
  };

  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const out = await ops[op]!();
  const seconds = (performance.now() - t0) / 1000;
  const peak = process.resourceUsage().maxRSS * 1024;
  const result: OpResult = { seconds, rssGrowthMb: Math.max(0, peak - rssBefore) / 2 ** 20, check: out.split('\n').at(-1)!.slice(0, 80) };
  process.stdout.write(JSON.stringify(result));
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The first and last timestamps of the generated log, read before an operation's clock starts: the comparison windows are chosen from them. */
async function timeSpanOf(file: string): Promise<{ start: number; end: number }> {
  const fd = openSync(file, 'r');
  const head = Buffer.alloc(4096);
  readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const start = new TimestampParser().parse(head.toString('utf8'))?.ms;
  const end = await lastTimestamp([{ real: file, relative: path.basename(file), gzip: false, mtimeMs: statSync(file).mtimeMs }]);
  if (start === undefined || end === undefined) throw new Error(`${file} has no timestamps at its start or end`);
  return { start, end };
}

/** One line for the table's log: what the comparison found and read. */
function comparisonCheck({ text }: { text: string }): string {
  const count = (heading: string) => new RegExp(`^${heading} \\((\\d+)`, 'm').exec(text)?.[1] ?? '0';
  const lines = /^Read 1 file, ([\d,]+) lines/m.exec(text)?.[1] ?? '?';
  return `${lines} lines; new ${count('NEW in the incident window')}, surging ${count('SURGING')}, quiet ${count('WENT QUIET')}`;
}

/** Our operations run from an esbuild bundle, as they ship, not through tsx's on-the-fly transform. */
function bundleSelf(): string {
  const out = path.join(DIR, 'bench-logs.js');
  buildSync({
    entryPoints: [__filename],
    outfile: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl' },
    logLevel: 'error',
  });
  return out;
}

function inChild(bundle: string, op: string, file: string): OpResult {
  const out = execFileSync(process.execPath, [bundle, '--op', op, '--file', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as OpResult;
}

function timed(cmd: string, args: string[]): { seconds: number; lines: number } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} failed: ${r.stderr}`);
  return { seconds, lines: r.stdout.split('\n').filter(Boolean).length };
}

/** The faster of two runs, for the reference tools whose runs take well under a second. */
const best = (f: () => { seconds: number; lines: number }) => [f(), f()].sort((a, b) => a.seconds - b.seconds)[0]!;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opIndex = args.indexOf('--op');
  if (opIndex >= 0) return runOp(args[opIndex + 1]!, args[args.indexOf('--file') + 1]!);

  const mb = Number(args[args.indexOf('--mb') + 1] ?? 0) || Number(process.env.BENCH_LOG_MB ?? 1024);
  const rg = findRipgrepOnPath();
  if (!rg) throw new Error('ripgrep (rg) is needed as the reference: apt-get install ripgrep');
  mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, `bench-${mb}MB.log`);
  if (!existsSync(file) || statSync(file).size < mb * 2 ** 20) {
    process.stderr.write(`generating ${mb} MiB log…\n`);
    await generateLog(file, mb * 2 ** 20);
  }
  const size = statSync(file).size;
  const sizeMb = size / 2 ** 20;
  spawnSync('cat', [file], { stdio: 'ignore' }); // warm the page cache: every tool then reads from memory

  const bundle = bundleSelf();
  const rgLiteral = best(() => timed(rg, ['-F', '-j1', NEEDLES.literal, file]));
  // The same work search_logs asks of ripgrep: line numbers and, by default, any case.
  const rgLiteralSameWork = best(() => timed(rg, ['-F', '-j1', '-n', '-i', NEEDLES.literal, file]));
  const grepLiteral = best(() => timed('grep', ['-F', NEEDLES.literal, file]));
  const rgRegex = best(() => timed(rg, ['-j1', REGEX, file]));
  const grepRegex = best(() => timed('grep', ['-E', `${NEEDLES.regexHits}[0-9]+`, file]));
  const ours: [string, string, number][] = [
    ['search_logs literal, via ripgrep', 'search-literal-rg', rgLiteral.seconds],
    ['search_logs literal, Node scan', 'search-literal-node', rgLiteral.seconds],
    ['search_logs regex, via ripgrep', 'search-regex-rg', rgRegex.seconds],
    ['search_logs regex, Node scan (re2js)', 'search-regex-node', rgRegex.seconds],
    ['summarize_log', 'summarize', Number.NaN],
    ['compare_log_windows, last hour vs the hour before', 'compare-last-hour', Number.NaN],
    ['compare_log_windows, the two halves of the file', 'compare-whole-file', Number.NaN],
  ];

  const mbps = (s: number) => (sizeMb / s).toFixed(0);
  const rows: string[] = [
    `| operation on a ${sizeMb.toFixed(0)} MiB log | MB/s | vs \`rg -j1\` | peak RSS growth |`,
    '|---|---:|---:|---:|',
    `| \`rg -F -j1\` (reference, ${rgLiteral.lines} hits) | ${mbps(rgLiteral.seconds)} | 1.00 | — |`,
    `| \`rg -F -j1 -n -i\` (reference: the same work as ours) | ${mbps(rgLiteralSameWork.seconds)} | ${(rgLiteral.seconds / rgLiteralSameWork.seconds).toFixed(2)} | — |`,
    `| \`grep -F\` (reference) | ${mbps(grepLiteral.seconds)} | ${(rgLiteral.seconds / grepLiteral.seconds).toFixed(2)} | — |`,
    `| \`rg -j1\` regex (reference, ${rgRegex.lines} hits) | ${mbps(rgRegex.seconds)} | 1.00 | — |`,
    `| \`grep -E\` regex (reference) | ${mbps(grepRegex.seconds)} | ${(rgRegex.seconds / grepRegex.seconds).toFixed(2)} | — |`,
  ];
  for (const [label, op, reference] of ours) {
    // Sub-second operations (every search, the Node scan too) get the references' treatment: the faster of two runs.
    const r = [inChild(bundle, op, file), ...(op.startsWith('search-') ? [inChild(bundle, op, file)] : [])].sort((a, b) => a.seconds - b.seconds)[0]!;
    process.stderr.write(`${label}: ${r.seconds.toFixed(2)} s — ${r.check}\n`);
    const ratio = Number.isNaN(reference) ? '—' : (reference / r.seconds).toFixed(2);
    rows.push(`| ${label} | ${mbps(r.seconds)} | ${ratio} | ${r.rssGrowthMb.toFixed(0)} MB |`);
  }
  const table = rows.join('\n');
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown CPU';
  const note = `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:logs\` on ${cpu} (${(await import('node:os')).cpus().length} cores), Node ${process.version}, ripgrep ${execFileSync(rg, ['--version'], { encoding: 'utf8' }).split('\n')[0]!.split(' ')[1]}; the file is in the page cache.`;
  console.log(`${table}\n\n${note}`);

  if (args.includes('--update-readme')) {
    const readme = path.join(ROOT, 'README.md');
    const text = readFileSync(readme, 'utf8');
    const start = '<!-- bench:logs -->';
    const end = '<!-- /bench:logs -->';
    if (!text.includes(start)) throw new Error(`README.md has no ${start} marker`);
    writeFileSync(readme, text.replace(new RegExp(`${start}[\\s\\S]*?${end}`), `${start}\n${table}\n\n${note}\n${end}`));
    console.error('README.md updated');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

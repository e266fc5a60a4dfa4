/**
 * npm run bench:first-look [-- --mb 1024] [--update-readme]
 *
 * How long the first look takes and what it covers: on the sample workspace (the demo's), and on
 * a generated log of about 1 GiB (bench/generateLog.ts: ISO timestamps, one line in seven an
 * ERROR), with a description without a time (the first error burst is the start) and with one
 * in the middle of the file (the comparison must read that far). Wall time from the call to its
 * return, the part of the budget used, what it says it covered, and the peak RSS growth.
 */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { computeFirstLook, FIRST_LOOK_BUDGET_MS } from '../src/agent/firstLook/firstLook';
import type { FirstLook } from '../src/shared/firstLook';
import { generateLog } from './generateLog';

const ROOT = path.resolve(__dirname, '..');
const SAMPLE = path.join(ROOT, 'samples', 'checkout-incident');
const RUNS = 5;

interface Timed {
  ms: number;
  look: FirstLook;
  rssGrowthMb: number;
}

async function timed(description: string, root: string, nowMs: number): Promise<Timed> {
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  const look = await computeFirstLook({ description }, { workspaceRoots: [root], nowMs });
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, look, rssGrowthMb: (peak - rss0) / 2 ** 20 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function row(name: string, runs: Timed[]): string {
  const last = runs.at(-1)!.look;
  const covered = last.partial ?? 'everything, within the budget';
  const found = [
    last.burst ? `burst at ${last.burst.time}` : 'no burst',
    last.start ? `start ${last.start.time} (${last.start.from})` : 'no start',
    last.changes ? `${last.changes.totals.new} new, ${last.changes.totals.surging} surging, ${last.changes.totals.quiet} quiet` : 'nothing compared',
  ].join('; ');
  return `| ${name} | ${Math.round(median(runs.map((r) => r.ms)))} ms (max ${Math.round(Math.max(...runs.map((r) => r.ms)))}) | ${Math.round(Math.max(...runs.map((r) => r.rssGrowthMb)))} MB | ${found} | ${covered} |`;
}

async function main(): Promise<void> {
  const mbArg = process.argv.indexOf('--mb');
  const mb = mbArg > 0 ? Number(process.argv[mbArg + 1]) : 1024;
  const rows = ['| workspace, description | first look (median of 5) | peak RSS growth | found | covered |', '|---|---:|---:|---|---|'];

  const demoNow = Date.parse('2026-11-20T14:25:00Z');
  const demo: Timed[] = [];
  for (let i = 0; i < RUNS; i++) demo.push(await timed('Checkout is failing for most customers since about 14:05 UTC', SAMPLE, demoNow));
  rows.push(row('samples/checkout-incident, "since about 14:05 UTC"', demo));

  const dir = path.join(ROOT, '.bench', 'first-look', 'logs');
  const file = path.join(dir, 'app.log');
  if (!existsSync(file) || statSync(file).size < mb * 2 ** 20 * 0.99) {
    mkdirSync(dir, { recursive: true });
    process.stderr.write(`generating ${mb} MB in ${file}…\n`);
    await generateLog(file, mb * 2 ** 20);
  }
  const workspace = path.dirname(dir);
  const size = `${(statSync(file).size / 2 ** 30).toFixed(2)} GiB`;
  const bigNow = Date.parse('2026-11-21T12:00:00Z');
  for (const [label, description] of [
    ['no time: the first burst', 'payments errors everywhere'],
    ['"since 12:00 UTC" (mid-file)', 'payments errors since 12:00 UTC'],
  ] as const) {
    const runs: Timed[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await timed(description, workspace, bigNow));
    rows.push(row(`one ${size} log, ${label}`, runs));
  }
  const table = rows.join('\n');
  const note =
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:first-look\` (budget ${FIRST_LOOK_BUDGET_MS} ms; the file is read from the page cache after the first run). ` +
    'Time is wall time from the call to its return, including spans, the scan, the comparison, deploy records and git.';
  console.log(`${table}\n\n${note}`);
  if (process.argv.includes('--update-readme')) {
    const readme = path.join(ROOT, 'README.md');
    writeFileSync(
      readme,
      readFileSync(readme, 'utf8').replace(
        /<!-- bench:first-look-time -->[\s\S]*?<!-- \/bench:first-look-time -->/,
        `<!-- bench:first-look-time -->\n${table}\n\n${note}\n<!-- /bench:first-look-time -->`,
      ),
    );
    console.error('README.md updated');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

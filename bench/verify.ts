/**
 * npm run bench:verify [-- --mb 1024]
 *
 * What the evidence check costs, in one run:
 * 1. the demo's report (src/demo/checkoutIncident.ts) against samples/checkout-incident: its
 *    verification summary and time;
 * 2. a generated log (default 1 GiB, in a temp folder, deleted afterwards) and a report citing
 *    lines at 10%, 50% and 99% of its depth correctly, one moved by 3 lines and one that is
 *    nowhere: each item's time and bytes read, against references measured on the same file in
 *    the same run (`wc -l`, which counts every newline in C, and reading the whole file in Node).
 * Times are the best of three runs, the file in the page cache.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateLog } from './generateLog';
import { checkEvidence, type EvidenceCheck } from '../src/agent/evidence/checkEvidence';
import { RunObservations } from '../src/agent/evidence/observations';
import { formatBytes } from '../src/agent/evidence/readMeter';
import { checkoutReport } from '../src/demo/checkoutIncident';
import type { EvidenceItem, TriageReport } from '../src/shared/report';

const ROOT = path.resolve(__dirname, '..');
const RUNS = 3;

async function best<T>(run: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  let fastest: { seconds: number; result: T } | undefined;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const result = await run();
    const seconds = (performance.now() - t0) / 1000;
    if (!fastest || seconds < fastest.seconds) fastest = { seconds, result };
  }
  return fastest!;
}

const verify = (root: string, report: TriageReport) => checkEvidence(report, { workspaceRoots: [root], observations: new RunObservations() });

function reportOf(evidence: EvidenceItem[]): TriageReport {
  return { ...checkoutReport, evidence, hypotheses: [], timeline: [] };
}

/** Node reading the whole file in 1 MiB chunks and doing nothing with them: the floor for any pass over it. */
async function readWhole(file: string): Promise<number> {
  const handle = await open(file);
  const buf = Buffer.allocUnsafe(1024 * 1024);
  let total = 0;
  try {
    for (let n; (n = (await handle.read(buf, 0, buf.length, total)).bytesRead) > 0;) total += n;
  } finally {
    await handle.close();
  }
  return total;
}

/** Line `n` of the file, read by sed (setup only, not timed). */
const lineOf = (file: string, n: number) => execFileSync('sed', ['-n', `${n}{p;q}`, file], { encoding: 'utf8', maxBuffer: 1 << 20 }).replace(/\n$/, '');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const mb = Number(args[args.indexOf('--mb') + 1] ?? 0) || 1024;

  // 1. The demo.
  const sample = path.join(ROOT, 'samples', 'checkout-incident');
  await verify(sample, checkoutReport); // warm up: module loading and the first file opens are not the check's cost
  const demo = await best(() => verify(sample, checkoutReport));
  const v = demo.result.report.verification;
  const failing = demo.result.failures.length ? `; failing: ${demo.result.failures.join(' | ')}` : '';
  console.log(
    `Demo report (samples/checkout-incident): ${v.verified} of ${demo.result.report.evidence.length} evidence lines verified, ${v.moved} moved, ${v.unverified} unverified, ` +
      `${v.timelineDisagreements} timeline disagreements; ${(demo.seconds * 1000).toFixed(1)} ms, ${formatBytes(demo.result.bytesRead)} read${failing}\n`,
  );

  // 2. A big log.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-verify-'));
  try {
    const file = path.join(dir, 'big.log');
    process.stderr.write(`generating ${mb} MiB log…\n`);
    const { lines } = await generateLog(file, mb * 2 ** 20);
    const size = statSync(file).size;
    spawnSync('cat', [file], { stdio: 'ignore' }); // warm the page cache: every reader then reads from memory

    const wc = await best(async () => execFileSync('wc', ['-l', file], { encoding: 'utf8' }));
    if (Number(wc.result.trim().split(/\s/)[0]) !== lines) throw new Error(`wc -l counted ${wc.result.trim()}, the generator wrote ${lines} lines`);
    const whole = await best(() => readWhole(file));

    const at = (share: number) => Math.max(1, Math.round(lines * share));
    const cite = (line: number, excerpt: string): EvidenceItem => ({ kind: 'log', file: 'big.log', line, excerpt, why: 'bench' });
    const moved = at(0.3);
    const items: [string, EvidenceItem, string][] = [
      ['line at 10% depth', cite(at(0.1), lineOf(file, at(0.1))), 'verified'],
      ['line at 50% depth', cite(at(0.5), lineOf(file, at(0.5))), 'verified'],
      ['line at 99% depth', cite(at(0.99), lineOf(file, at(0.99))), 'verified'],
      ['line at 30% depth, cited 3 lines off', cite(moved + 3, lineOf(file, moved)), 'moved'],
      ['excerpt in no line (searches the whole file)', cite(at(0.5), 'ERROR [payments] ledger mismatch; nothing like this was ever logged'), 'unverified'],
    ];

    const rows = [
      `| on a ${formatBytes(size)} log (${lines.toLocaleString('en-US')} lines) | result | time | vs \`wc -l\` | bytes read | share of the file |`,
      '|---|---|---:|---:|---:|---:|',
      `| \`wc -l\` (reference: every newline, in C) | — | ${ms(wc.seconds)} | 1.00 | ${formatBytes(size)} | 100% |`,
      `| Node reads the whole file, 1 MiB at a time (reference) | — | ${ms(whole.seconds)} | ${(whole.seconds / wc.seconds).toFixed(2)} | ${formatBytes(size)} | 100% |`,
    ];
    const row = (label: string, r: { seconds: number; result: EvidenceCheck }, status: string) =>
      `| ${label} | ${status} | ${ms(r.seconds)} | ${(r.seconds / wc.seconds).toFixed(2)} | ${formatBytes(r.result.bytesRead)} | ${pct(r.result.bytesRead / size)} |`;
    for (const [label, item, expected] of items) {
      const r = await best(() => verify(dir, reportOf([item])));
      const got = r.result.report.evidence[0]!.verification;
      const status = got.status === 'moved' ? `moved to ${got.line}` : got.status;
      if (got.status !== expected) throw new Error(`${label}: expected ${expected}, got ${JSON.stringify(got)}`);
      rows.push(row(label, r, status));
    }
    const all = await best(() => verify(dir, reportOf(items.map(([, item]) => item))));
    const s = all.result.report.verification;
    rows.push(row('all five in one report (one file, checked together)', all, `${s.verified} verified, ${s.moved} moved, ${s.unverified} unverified`));

    const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown CPU';
    console.log(
      `${rows.join('\n')}\n\nMeasured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:verify\` on ${cpu} (${os.cpus().length} cores), Node ${process.version}; best of ${RUNS} runs, the file in the page cache.`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (seconds: number) => (seconds < 1 ? `${(seconds * 1000).toFixed(1)} ms` : `${seconds.toFixed(2)} s`);
const pct = (share: number) => (share < 0.001 ? `${(share * 100).toFixed(3)}%` : `${(share * 100).toFixed(1)}%`);

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

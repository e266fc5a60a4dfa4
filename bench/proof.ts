/**
 * npm run proof [-- --update-readme]
 *
 * Runs the fault suites (in process and against the built CLI as a child process), the
 * hostile-input suite and the redaction corpus, and prints their counts: cases tried, handled
 * (recovered, or ended with a clear error, in bounded time), secrets leaked to the API and
 * unhandled rejections (both must be 0), and the redaction corpus's recall and precision.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROOF_DIR } from '../test/fixtures/proof';

const ROOT = path.resolve(__dirname, '..');
const SPECS = ['test/unit/agent/faults.test.ts', 'test/process/cliFaults.test.ts', 'test/unit/security/hostile.test.ts', 'test/unit/security/redaction*.test.ts'];
rmSync(PROOF_DIR, { recursive: true, force: true });
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
if (build.status !== 0) throw new Error('the build failed');
const run = spawnSync('npx', ['mocha', '--no-config', '--node-option', 'import=tsx', '--timeout', '60000', ...SPECS], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

interface Tally {
  tried: number;
  handled: number;
  leaked?: number;
  unhandledRejections?: number;
  secrets?: number;
  masked?: number;
  contextExpected?: number;
  contextKept?: number;
  cleanLines?: number;
  falsePositives?: number;
  heldOut?: Tally;
  realLogs?: { files: number; bytes: number; redactions: number; kinds: Record<string, number> };
}
const read = (suite: string) => JSON.parse(readFileSync(path.join(PROOF_DIR, `${suite}.json`), 'utf8')) as Tally;
const fault = read('fault');
const processLevel = read('process');
const hostile = read('hostile');
const redaction = read('redaction');
const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;
const corpusRow = (name: string, t: Tally) =>
  `| ${name} | ${t.tried} | ${t.masked} of ${t.secrets} (${pct(t.masked!, t.secrets!)}) | ${t.contextKept} of ${t.contextExpected} (${pct(t.contextKept!, t.contextExpected!)}) | ${t.falsePositives} of ${t.cleanLines} |`;
const table = [
  '| suite | cases tried | handled | secrets leaked to the API | unhandled rejections |',
  '|---|---:|---:|---:|---:|',
  `| faults in process (API and stream failures, retries, fallback, pause_turn, cancellation, ledger) | ${fault.tried} | ${fault.handled} | — | ${fault.unhandledRejections} |`,
  `| faults against the built CLI as a child process (exit code, last line, requests, waits, ledger, signals, held event loop) | ${processLevel.tried} | ${processLevel.handled} | — | — |`,
  `| hostile input (paths, symlinks, FIFOs, gzip bomb, regex, binary, UTF-8, 10 MB line, time ranges, PromQL, git config, secrets, injection) | ${hostile.tried} | ${hostile.handled} | ${hostile.leaked} | — |`,
  '',
  '| redaction corpus | lines | secrets masked (recall) | evidence kept around them (precision) | false positives on clean lines |',
  '|---|---:|---:|---:|---:|',
  corpusRow('labelled corpus: log lines, env dumps, JSON lines, URLs, cookies, PEM bodies', redaction),
  ...(redaction.heldOut ? [corpusRow('held-out set (lines written before the detectors were fixed for them)', redaction.heldOut)] : []),
  ...(redaction.realLogs
    ? [
        `| real public logs (../shared/data/logs, ${redaction.realLogs.files} files, ${(redaction.realLogs.bytes / 1e6).toFixed(1)} MB, no labels) | | | | ${redaction.realLogs.redactions} values masked, all ${Object.keys(redaction.realLogs.kinds).join(', ')} ids |`,
      ]
    : []),
].join('\n');
const note = `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run proof\` (${SPECS.join(', ')}; all also run in \`npm test\`).`;
console.log(`${table}\n\n${note}`);
if (process.argv.includes('--update-readme')) {
  const readme = path.join(ROOT, 'README.md');
  writeFileSync(readme, readFileSync(readme, 'utf8').replace(/<!-- proof -->[\s\S]*?<!-- \/proof -->/, `<!-- proof -->\n${table}\n\n${note}\n<!-- /proof -->`));
}
process.exitCode = run.status ?? 1;

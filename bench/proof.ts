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
}
const read = (suite: string) => JSON.parse(readFileSync(path.join(PROOF_DIR, `${suite}.json`), 'utf8')) as Tally;
const fault = read('fault');
const processLevel = read('process');
const hostile = read('hostile');
const redaction = read('redaction');
const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(1)}%`;
const table = [
  '| suite | cases tried | handled | secrets leaked to the API | unhandled rejections |',
  '|---|---:|---:|---:|---:|',
  `| faults in process (API and stream failures, retries, fallback, pause_turn, cancellation, ledger) | ${fault.tried} | ${fault.handled} | — | ${fault.unhandledRejections} |`,
  `| faults against the built CLI as a child process (exit code, last line, requests, waits, ledger, signals, held event loop) | ${processLevel.tried} | ${processLevel.handled} | — | — |`,
  `| hostile input (paths, symlinks, FIFOs, gzip bomb, regex, binary, UTF-8, 10 MB line, time ranges, PromQL, git config, secrets, injection) | ${hostile.tried} | ${hostile.handled} | ${hostile.leaked} | — |`,
  '',
  '| redaction corpus | lines | secrets masked (recall) | evidence kept around them (precision) | false positives on clean lines |',
  '|---|---:|---:|---:|---:|',
  `| realistic log lines, env dumps, JSON lines, URLs, cookies, PEM bodies | ${redaction.tried} | ${redaction.masked} of ${redaction.secrets} (${pct(redaction.masked!, redaction.secrets!)}) | ${redaction.contextKept} of ${redaction.contextExpected} (${pct(redaction.contextKept!, redaction.contextExpected!)}) | ${redaction.falsePositives} of ${redaction.cleanLines} |`,
].join('\n');
const note = `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run proof\` (${SPECS.join(', ')}; all also run in \`npm test\`).`;
console.log(`${table}\n\n${note}`);
if (process.argv.includes('--update-readme')) {
  const readme = path.join(ROOT, 'README.md');
  writeFileSync(readme, readFileSync(readme, 'utf8').replace(/<!-- proof -->[\s\S]*?<!-- \/proof -->/, `<!-- proof -->\n${table}\n\n${note}\n<!-- /proof -->`));
}
process.exitCode = run.status ?? 1;

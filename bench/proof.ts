/**
 * npm run proof [-- --update-readme]
 *
 * Runs the fault suite and the hostile-input suite and prints their counts: cases tried,
 * handled (recovered, or ended with a clear error, in bounded time), secrets leaked to the API
 * and unhandled rejections (both must be 0).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PROOF_DIR } from '../test/fixtures/proof';

const ROOT = path.resolve(__dirname, '..');
rmSync(PROOF_DIR, { recursive: true, force: true });
const run = spawnSync('npx', ['mocha', '--spec', 'test/unit/agent/faults.test.ts', '--spec', 'test/unit/security/hostile.test.ts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const read = (suite: string) => JSON.parse(readFileSync(path.join(PROOF_DIR, `${suite}.json`), 'utf8')) as { tried: number; handled: number; leaked?: number; unhandledRejections?: number };
const fault = read('fault');
const hostile = read('hostile');
const table = [
  '| suite | cases tried | handled | secrets leaked to the API | unhandled rejections |',
  '|---|---:|---:|---:|---:|',
  `| faults (API and stream failures, retries, fallback, cancellation, ledger) | ${fault.tried} | ${fault.handled} | — | ${fault.unhandledRejections} |`,
  `| hostile input (paths, symlinks, gzip bomb, regex, binary, UTF-8, 10 MB line, time ranges, PromQL, secrets, injection) | ${hostile.tried} | ${hostile.handled} | ${hostile.leaked} | — |`,
].join('\n');
const note = `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run proof\` (test/unit/agent/faults.test.ts, test/unit/security/hostile.test.ts; both also run in \`npm test\`).`;
console.log(`${table}\n\n${note}`);
if (process.argv.includes('--update-readme')) {
  const readme = path.join(ROOT, 'README.md');
  writeFileSync(readme, readFileSync(readme, 'utf8').replace(/<!-- proof -->[\s\S]*?<!-- \/proof -->/, `<!-- proof -->\n${table}\n\n${note}\n<!-- /proof -->`));
}
process.exitCode = run.status ?? 1;

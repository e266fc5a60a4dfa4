/**
 * npm run bench:many-files [-- --files 10000]
 *
 * search_logs over many small log files (a few lines each), via ripgrep and via the Node scan,
 * against `rg` itself searching the same files in the same run (it prints the time and how many
 * times slower each is). One search must answer well inside the tool timeout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runSearch } from '../src/tools/logs/searchLogs';
import { findRipgrepOnPath } from '../src/tools/logs/ripgrep';

const ROOT = path.resolve(__dirname, '..');

function generate(dir: string, count: number): void {
  const marker = path.join(dir, `.${count}-files`);
  if (existsSync(marker)) return;
  rmSync(dir, { recursive: true, force: true });
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, 'logs', `svc${i % 50}`);
    if (i < 50) mkdirSync(folder, { recursive: true });
    const error = i % 100 === 0 ? 'ERROR timeout talking to db' : 'INFO fine';
    writeFileSync(path.join(folder, `part-${String(i).padStart(5, '0')}.log`), `2026-11-20T14:00:00Z INFO request ${i} ok\n2026-11-20T14:01:00Z ${error}\n2026-11-20T14:02:00Z DEBUG done\n`);
  }
  writeFileSync(marker, '');
}

/** The faster of three runs. */
async function best(run: () => Promise<string> | string): Promise<{ seconds: number; last: string }> {
  const runs: { seconds: number; last: string }[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const out = await run();
    runs.push({ seconds: (performance.now() - t0) / 1000, last: out.trim().split('\n').at(-1) ?? '' });
  }
  return runs.sort((a, b) => a.seconds - b.seconds)[0]!;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const count = Number(args[args.indexOf('--files') + 1] ?? 0) || 10_000;
  const rg = findRipgrepOnPath();
  if (!rg) throw new Error('ripgrep (rg) is needed as the reference: apt-get install ripgrep');
  const dir = path.join(ROOT, '.bench', 'many-files');
  generate(dir, count);

  const search = (ripgrepPath?: string) => async () => (await runSearch({ query: 'timeout' }, { workspaceRoots: [dir], signal: new AbortController().signal, settings: { ripgrepPath } })).text;
  // What search_logs asks of ripgrep: line numbers, any case, JSON; over the same folder.
  const reference = await best(() => spawnSync(rg, ['--json', '-n', '-i', 'timeout', path.join(dir, 'logs')], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout);
  const rows: [string, { seconds: number; last: string }][] = [
    ['`rg --json -n -i` (reference)', reference],
    ['search_logs, via ripgrep', await best(search(rg))],
    ['search_logs, Node scan', await best(search())],
  ];
  console.log(`| search over ${count.toLocaleString('en-US')} small files | seconds | vs \`rg\` |\n|---|---:|---:|`);
  for (const [label, r] of rows) console.log(`| ${label} | ${r.seconds.toFixed(3)} | ${(r.seconds / reference.seconds).toFixed(1)}× |`);
  console.log(`\nsearch_logs said: ${rows[1]![1].last}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * npm run bench:soak [-- --runs 200] [-- --update-readme]
 *
 * The demo triage (six steps, eleven real tool calls on the sample workspace) run back to back
 * against the local API emulator in one process. Heap and RSS are sampled after a forced GC
 * every 20 runs: a leak shows as steady growth; noise as a flat line.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { runTriage } from '../src/agent/runTriage';
import { createToolRegistry } from '../src/engine/toolRegistry';
import { FakeAnthropic } from '../test/fixtures/anthropic-server/server';
import { CHECKOUT_DESCRIPTION, checkoutIncidentScenario } from '../test/fixtures/scenarios/checkoutIncident';

const ROOT = path.resolve(__dirname, '..');
const WORKSPACE = path.join(ROOT, 'samples', 'checkout-incident');

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (npm run bench:soak does)');
  const args = process.argv.slice(2);
  const runs = Number(args[args.indexOf('--runs') + 1]) || 200;
  const server = await FakeAnthropic.start({ scenario: checkoutIncidentScenario });
  const client = new Anthropic({ apiKey: 'soak', baseURL: server.url, maxRetries: 0 });
  const samples: { run: number; heapMb: number; rssMb: number }[] = [];
  const sample = (run: number) => {
    gc();
    const m = process.memoryUsage();
    samples.push({ run, heapMb: m.heapUsed / 2 ** 20, rssMb: m.rss / 2 ** 20 });
  };
  const t0 = performance.now();
  let reports = 0;
  for (let i = 1; i <= runs; i++) {
    for await (const e of runTriage(
      { description: CHECKOUT_DESCRIPTION, thinking: { mode: 'auto' } },
      { client, tools: createToolRegistry(), workspaceRoots: [WORKSPACE], now: () => new Date('2026-11-20T14:25:00Z') },
    )) {
      if (e.type === 'report') reports++;
    }
    // The emulator's request record and cache entries (kept 5 minutes, as the API does) are test
    // scaffolding in the same process, not the engine's memory.
    server.requests.length = 0;
    server.cache.clear();
    if (i === 10 || i % 20 === 0) sample(i);
  }
  await server.close();
  const seconds = (performance.now() - t0) / 1000;
  const base = samples[0]!;
  const last = samples.at(-1)!;
  const mid = samples[Math.floor(samples.length / 2)]!;
  const rows = [
    '| runs | reports | time | heap after GC: run 10 → middle → last | RSS: run 10 → last |',
    '|---:|---:|---:|---|---|',
    `| ${runs} | ${reports} | ${seconds.toFixed(1)} s (${((seconds / runs) * 1000).toFixed(0)} ms a run) | ${base.heapMb.toFixed(1)} → ${mid.heapMb.toFixed(1)} → ${last.heapMb.toFixed(1)} MB (${last.heapMb - base.heapMb >= 0 ? '+' : ''}${(last.heapMb - base.heapMb).toFixed(1)} MB) | ${base.rssMb.toFixed(0)} → ${last.rssMb.toFixed(0)} MB |`,
  ];
  const note = `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:soak\` (one process, Node ${process.version}, heap sampled after a forced GC every 20 runs: ${samples.map((s) => s.heapMb.toFixed(1)).join(', ')} MB).`;
  console.log(`${rows.join('\n')}\n\n${note}`);
  if (args.includes('--update-readme')) {
    const readme = path.join(ROOT, 'README.md');
    writeFileSync(readme, readFileSync(readme, 'utf8').replace(/<!-- bench:soak -->[\s\S]*?<!-- \/bench:soak -->/, `<!-- bench:soak -->\n${rows.join('\n')}\n\n${note}\n<!-- /bench:soak -->`));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

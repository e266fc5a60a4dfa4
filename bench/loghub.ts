/**
 * npm run eval:loghub [-- --update-readme]
 *
 * Timestamp and level parsing accuracy and template grouping accuracy (GA) of our log tools on
 * the 16 Loghub-2k systems, beside Drain's published GA. Needs the shared corpus beside the
 * checkout (or INCIDENT_TRIAGE_SHARED_LOGS).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { miningAccuracy, parsingAccuracy } from '../test/fixtures/loghub/evaluate';
import { LOGHUB_SYSTEMS, SHARED_LOGS, hasLoghub, parseCsv } from '../test/fixtures/loghub/groundTruth';

/** Drain's GA on Loghub-2k as published by Loghub-2.0 (first figure of "2k / full"). */
function publishedDrain(): Map<string, string> {
  const csv = parseCsv(readFileSync(path.join(SHARED_LOGS, 'benchmarks', 'loghub2_effectiveness_results_2k_vs_full.csv'), 'utf8'));
  return new Map(csv.filter((r) => / GA$/.test(r['dataset+metrics']!)).map((r) => [r['dataset+metrics']!.replace(' GA', ''), r.Drain!.split(' / ')[0]!]));
}

async function main(): Promise<void> {
  if (!hasLoghub()) throw new Error(`The Loghub corpus is not at ${SHARED_LOGS}`);
  const drain = publishedDrain();
  const rows = ['| system | timestamps | levels | GA, raw lines | GA, Content column | Drain GA (published) |', '|---|---:|---:|---:|---:|---:|'];
  const pct = (x: number | undefined) => (x === undefined ? '—' : `${(100 * x).toFixed(1)}%`);
  let raw = 0;
  let content = 0;
  for (const system of LOGHUB_SYSTEMS) {
    const p = await parsingAccuracy(system);
    const m = await miningAccuracy(system);
    raw += m.raw;
    content += m.content;
    rows.push(`| ${system} | ${pct(p.timestamps)} | ${pct(p.levels)} | ${m.raw.toFixed(3)} | ${m.content.toFixed(3)} | ${drain.get(system) ?? '—'} |`);
  }
  rows.push(`| **average** | | | **${(raw / LOGHUB_SYSTEMS.length).toFixed(3)}** | **${(content / LOGHUB_SYSTEMS.length).toFixed(3)}** | ${drain.get('Average') ?? '—'} (14 systems) |`);
  const table = rows.join('\n');
  console.log(table);
  if (process.argv.includes('--update-readme')) {
    const readme = path.resolve(__dirname, '..', 'README.md');
    const text = readFileSync(readme, 'utf8');
    writeFileSync(readme, text.replace(/<!-- eval:loghub -->[\s\S]*?<!-- \/eval:loghub -->/, `<!-- eval:loghub -->\n${table}\n<!-- /eval:loghub -->`));
    console.error('README.md updated');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

/**
 * npm run eval:loghub [-- --update-readme]
 *
 * Timestamp and level parsing accuracy, template grouping accuracy (GA) and parsing accuracy (PA,
 * exact template text) of our log tools on the 16 Loghub-2k systems, beside Drain's published GA
 * and PA. Ground truth: the corrected templates (loghub-2k-corrected) where the corpus has them. Needs the shared corpus beside the
 * checkout (or INCIDENT_TRIAGE_SHARED_LOGS).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { miningAccuracy, parsingAccuracy } from '../test/fixtures/loghub/evaluate';
import { LOGHUB_SYSTEMS, SHARED_LOGS, hasLoghub, parseCsv } from '../test/fixtures/loghub/groundTruth';

/** Drain's GA or PA on Loghub-2k as published by Loghub-2.0 (first figure of "2k / full"). */
function publishedDrain(metric: 'GA' | 'PA'): Map<string, string> {
  const csv = parseCsv(readFileSync(path.join(SHARED_LOGS, 'benchmarks', 'loghub2_effectiveness_results_2k_vs_full.csv'), 'utf8'));
  const suffix = ` ${metric}`;
  return new Map(csv.filter((r) => r['dataset+metrics']!.endsWith(suffix)).map((r) => [r['dataset+metrics']!.slice(0, -suffix.length), r.Drain!.split(' / ')[0]!]));
}

async function main(): Promise<void> {
  if (!hasLoghub()) throw new Error(`The Loghub corpus is not at ${SHARED_LOGS}`);
  const drain = publishedDrain('GA');
  const drainPa = publishedDrain('PA');
  const rows = ['| system | timestamps | levels | GA, raw lines | GA, Content column | Drain GA (published) | PA, raw lines | Drain PA (published) |', '|---|---:|---:|---:|---:|---:|---:|---:|'];
  const pct = (x: number | undefined) => (x === undefined ? '—' : `${(100 * x).toFixed(1)}%`);
  let raw = 0;
  let content = 0;
  let pa = 0;
  for (const system of LOGHUB_SYSTEMS) {
    const p = await parsingAccuracy(system);
    const m = await miningAccuracy(system);
    raw += m.raw;
    content += m.content;
    pa += m.rawPa;
    rows.push(
      `| ${system} | ${pct(p.timestamps)} | ${pct(p.levels)} | ${m.raw.toFixed(3)} | ${m.content.toFixed(3)} | ${drain.get(system) ?? '—'} | ${m.rawPa.toFixed(3)} | ${drainPa.get(system) ?? '—'} |`,
    );
  }
  const avg = (x: number) => (x / LOGHUB_SYSTEMS.length).toFixed(3);
  rows.push(`| **average** | | | **${avg(raw)}** | **${avg(content)}** | ${drain.get('Average') ?? '—'} (14 systems) | **${avg(pa)}** | ${drainPa.get('Average') ?? '—'} (14 systems) |`);
  const truth = existsSync(path.join(SHARED_LOGS, 'loghub-2k-corrected')) ? 'the corrected templates of loghub-2k-corrected' : 'loghub-2k (the corrected set is absent)';
  const table = `${rows.join('\n')}\n\nGround truth: ${truth}. PA counts a line right when its template text is exactly the ground truth's.`;
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

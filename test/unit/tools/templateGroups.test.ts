import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { summarizeFile } from '../../../src/tools/logs/summarizeLog';
import { NO_TEMPLATE, groupByTemplate, type TemplateGrouping } from '../../../src/tools/logs/templateGroups';

const LOG = [
  '2026-11-20T14:00:00Z INFO user 17 logged in from 10.0.0.1',
  '',
  '2026-11-20T14:00:01Z ERROR charge failed after 30ms: pool exhausted',
  '    at com.shop.Pool.acquire(Pool.java:42)',
  '2026-11-20T14:00:02Z INFO user 4242 logged in from 10.0.0.9',
  '2026-11-20T14:00:03Z',
  '2026-11-20T14:00:04Z ERROR charge failed after 9000ms: pool exhausted',
  '{"ts":"2026-11-20T14:00:05Z","level":"info","msg":"user 5 logged in from 10.1.1.1"}',
  '',
  '', // the newline that ends the blank line 9
].join('\n');

/** Every figure of a grouping recomputed from its assignments: they must tell one story. */
function assertConsistent(g: TemplateGrouping): Int32Array {
  const ids = Int32Array.from(g.assignments!.flatMap((block) => [...block]));
  assert.equal(ids.length, g.lines, 'one id per line');
  for (const group of g.groups) {
    const lines = [...ids.keys()].filter((i) => ids[i] === group.id).map((i) => i + 1);
    assert.deepEqual([lines.length, lines[0], lines.at(-1)], [group.count, group.firstLine, group.lastLine], `template ${group.id} "${group.template}"`);
  }
  assert.equal(ids.filter((id) => id === NO_TEMPLATE).length, g.untemplated);
  assert.deepEqual(new Set(ids.filter((id) => id !== NO_TEMPLATE)), new Set(g.groups.map((x) => x.id)), 'no id without its template');
  assert.deepEqual(
    g.groups.map((x) => x.count),
    g.groups.map((x) => x.count).sort((a, b) => b - a),
    'most lines first',
  );
  return ids;
}

describe('grouping a log by template (incident-triage templates)', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'triage-groups-'))));
  after(async () => rm(dir, { recursive: true, force: true }));

  it("gives each line its template, blank lines (and a bare timestamp) the empty message's, and counts and first/last lines that agree", async () => {
    const file = path.join(dir, 'app.log');
    await writeFile(file, LOG);
    const g = await groupByTemplate(file, { assignments: true });
    const ids = assertConsistent(g);
    assert.equal(g.lines, 9);
    const byText = new Map(g.groups.map((x) => [x.template, x]));
    assert.deepEqual(byText.get('user <*> logged in from <*>'), { id: ids[0], template: 'user <*> logged in from <*>', count: 3, firstLine: 1, lastLine: 8 });
    assert.deepEqual(
      [...ids].filter((_, i) => [1, 5, 8].includes(i)),
      Array(3).fill(byText.get('')!.id),
      'lines 2 and 9 are blank, line 6 has nothing after its timestamp',
    );
    assert.equal(byText.get('charge failed after <*>: pool exhausted')?.count, 2);
  });

  it('counts exactly what summarize_log counts, template by template', async () => {
    const file = path.join(dir, 'app.log');
    const [g, s] = [await groupByTemplate(file), await summarizeFile(file)];
    assert.equal(g.assignments, undefined, 'no per-line ids unless asked for');
    assert.deepEqual(
      g.groups.map((x) => [x.id, x.template, x.count]),
      s.templates.map((t) => [t.template.id, t.template.tokens.join(' '), t.template.count]),
    );
  });

  it('reads gzip, and keeps ids past a block of a million lines', async () => {
    const lines = Array.from({ length: (1 << 20) + 3 }, (_, i) => (i % 3 === 0 ? `job ${i} done` : i % 3 === 1 ? `cache miss k${i}` : ''));
    const file = path.join(dir, 'many.log.gz');
    await writeFile(file, gzipSync(lines.join('\n')));
    const g = await groupByTemplate(file, { assignments: true });
    assert.equal(g.lines, lines.length);
    assert.deepEqual(
      g.assignments!.map((b) => b.length),
      [1 << 20, 3],
    );
    const ids = assertConsistent(g);
    assert.deepEqual([ids[1 << 20], ids[(1 << 20) + 1], ids[(1 << 20) + 2]], [ids[1], ids[2], ids[0]]);
  });

  it("gives no template (null in the JSON) to lines past the miner's template limit", async () => {
    const next = (
      (seed) => () =>
        (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32
    )(9);
    const word = () => Array.from({ length: 7 }, () => String.fromCharCode(97 + Math.floor(next() * 26))).join('');
    const file = path.join(dir, 'wide.log');
    await writeFile(file, Array.from({ length: 3000 }, () => `${word()} ${word()} ${word()}`).join('\n'));
    const g = await groupByTemplate(file, { assignments: true });
    assert.ok(g.untemplated > 0);
    assertConsistent(g);
  });
});

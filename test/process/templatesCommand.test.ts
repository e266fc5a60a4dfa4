import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { assertFreshBuild, spawnCli } from '../fixtures/cliProcess';
import { makeFifo, writeFiles } from '../fixtures/workspace';

interface TemplatesDocument {
  file: string;
  lines: number;
  templates: { id: number; template: string; count: number; first_line: number; last_line: number }[];
  line_templates?: (number | null)[];
}

/** A service log with CRLF endings, stack traces, blank lines and JSON lines; `n` entries. */
function serviceLog(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = new Date(Date.UTC(2026, 10, 20, 14) + i * 1000).toISOString();
    if (i % 7 === 0) lines.push(`${t} ERROR charge failed after ${i % 900}ms: pool exhausted`, `    at com.shop.Pool.acquire(Pool.java:${i % 50})`);
    else if (i % 5 === 0) lines.push('');
    else if (i % 3 === 0) lines.push(JSON.stringify({ ts: t, level: 'info', msg: `cache miss for key k${i}` }));
    else lines.push(`${t} INFO user u-${i} logged in from 10.0.${i % 255}.${i % 7}`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** Every figure of the document recomputed from line_templates: the ids must tell the same story as the counts. */
function assertConsistent(doc: TemplatesDocument): void {
  const ids = doc.line_templates!;
  assert.equal(ids.length, doc.lines, 'one entry per line');
  const byId = new Map<number, number[]>();
  ids.forEach((id, i) => {
    if (id !== null) byId.set(id, [...(byId.get(id) ?? []).slice(0, 1), i + 1]);
  });
  const counts = new Map<number | null, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const t of doc.templates) {
    assert.equal(counts.get(t.id), t.count, `count of template ${t.id}`);
    const [first, last] = byId.get(t.id)!;
    assert.deepEqual([first, last ?? first], [t.first_line, t.last_line], `first and last line of template ${t.id}`);
  }
  assert.equal(doc.templates.length, byId.size, 'every id used has its template');
}

/** The built CLI (dist/cli.js) as a user runs it: exit codes, stdout and stderr as they see them. */
describe('incident-triage templates: the built CLI', function () {
  this.timeout(60_000);
  let dir: string;
  const file = (name: string) => path.join(dir, name);

  before(async () => {
    assertFreshBuild();
    dir = await mkdtemp(path.join(os.tmpdir(), 'triage-templates-cli-'));
    await writeFiles(dir, {
      'app.log': serviceLog(400),
      'app.log.1.gz': gzipSync(serviceLog(400)),
      'big.log': serviceLog(300_000),
      'core.log': Buffer.concat([Buffer.from('ELF'), Buffer.alloc(64), Buffer.from('2026-11-20T14:00:00Z INFO not a log\n')]),
      'cut.log.gz': gzipSync(serviceLog(400)).subarray(0, 300),
      'logs/a.log': 'x\n',
    });
    await makeFifo(file('pipe.log'));
  });
  after(async () => dir && rm(dir, { recursive: true, force: true }));

  it('prints a table of templates, most lines first, with first and last line numbers', async () => {
    const run = await spawnCli(['templates', file('app.log')]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
    const lines = run.stdout.split('\n');
    assert.match(lines[0]!, /app\.log: 458 lines, 5 templates \(variable parts shown as <\*>; first and last are line numbers\)$/);
    assert.match(lines[1]!, /^count\s+first\s+last\s+template$/);
    // 400 entries: every 7th an error with a stack line, else every 5th blank, else every 3rd JSON, the rest a login.
    assert.deepEqual(
      lines.slice(2, 7).map((l) => l.trim().split(/\s+/).slice(0, 3).map(Number)),
      [
        [183, 3, 456],
        [91, 5, 454],
        [68, 7, 453],
        [58, 1, 457],
        [58, 2, 458],
      ],
    );
    assert.match(lines[2]!, / {2}user <\*> logged in from <\*>$/);
    assert.match(lines[4]!, / {2}\(empty message\)$/);
    assert.ok(!run.stdout.includes('\u001b['), 'no colour codes when stdout is not a terminal');
  });

  it("--json prints one document with every template; --assignments adds each line's template id, one per line", async () => {
    const plain = await spawnCli(['templates', '--json', file('app.log')]);
    assert.equal(plain.code, 0, plain.stderr);
    const doc = JSON.parse(plain.stdout) as TemplatesDocument;
    assert.deepEqual(Object.keys(doc), ['file', 'lines', 'templates']);
    assert.equal(doc.file, file('app.log'));
    assert.equal(doc.templates.length, 5);
    assert.equal(
      doc.templates.reduce((a, t) => a + t.count, 0),
      doc.lines,
    );

    const withIds = JSON.parse((await spawnCli(['templates', '--json', '--assignments', file('app.log')])).stdout) as TemplatesDocument;
    assert.deepEqual(withIds.templates, doc.templates);
    assertConsistent(withIds);
    // Line 13 is blank (entry 10): it has the empty message's template.
    const empty = doc.templates.find((t) => t.template === '')!;
    assert.equal(withIds.line_templates![12], empty.id);
  });

  it('reads a gzipped log as its plain text', async () => {
    const plain = JSON.parse((await spawnCli(['templates', '--json', '--assignments', file('app.log')])).stdout) as TemplatesDocument;
    const gz = JSON.parse((await spawnCli(['templates', '--json', '--assignments', file('app.log.1.gz')])).stdout) as TemplatesDocument;
    assert.deepEqual({ ...gz, file: '' }, { ...plain, file: '' });
  });

  it('streams a large document whole (300,000 entries, 3.8 MB) before it exits', async () => {
    const run = await spawnCli(['templates', '--json', '--assignments', file('big.log')]);
    assert.equal(run.code, 0, run.stderr);
    const doc = JSON.parse(run.stdout) as TemplatesDocument;
    assert.equal(doc.lines, 342_858);
    assertConsistent(doc);
  });

  it('stops quietly when the reader goes away (| head): exit 0, no stack trace', async () => {
    let seen = 0;
    const run = await spawnCli(['templates', '--json', '--assignments', file('big.log')], {
      onLine: (_line, child) => {
        if (++seen === 1) child.stdout!.destroy();
      },
    });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, '');
  });

  for (const [name, args, message] of [
    ['a missing file', ['nope.log'], /^incident-triage: cannot read .*nope\.log: no such file\.\n$/],
    ['a folder', ['logs'], /^incident-triage: cannot read .*logs: it is a folder, not a log file\.\n$/],
    ['a FIFO', ['pipe.log'], /^incident-triage: cannot read .*pipe\.log: it is a FIFO \(named pipe\), not a log file\.\n$/],
    ['a binary file', ['core.log'], /^incident-triage: .*core\.log looks like a binary file \(it holds a NUL byte near its start\), not a log\.\n$/],
    ['a cut gzip file', ['cut.log.gz'], /^incident-triage: cannot read .*cut\.log\.gz: unexpected end of file \(Z_BUF_ERROR\)\.\n$/],
  ] as const) {
    it(`refuses ${name} on stderr with exit 1, printing nothing on stdout`, async () => {
      const run = await spawnCli(['templates', ...args.map((a) => file(a))]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, '');
    });
  }

  it('a usage error exits 2 with the help', async () => {
    const run = await spawnCli(['templates', '--assignments', file('app.log')]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--assignments adds each line's template to the --json document: give --json too\.[\s\S]*Usage:/);
  });
});

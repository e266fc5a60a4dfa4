import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main, type CliIo } from '../../../src/cli/main';

async function cli(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {} };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** 40 templates: template k has k + 1 lines, so the order by count is known. */
const LOG = Array.from({ length: 40 }, (_, k) =>
  Array.from({ length: k + 1 }, (_, i) => `2026-11-20T14:00:${String(i % 60).padStart(2, '0')}Z INFO event${String.fromCharCode(97 + (k % 26))}${k >= 26 ? 'x' : ''} happened ${i} times`),
).flat();

describe('incident-triage templates (in process)', () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'triage-templates-'));
    file = path.join(dir, 'app.log');
    await writeFile(file, `${LOG.join('\n')}\n2026-11-20T14:00:00Z WARN login failed for admin password=correcthorse\n`);
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('shows the 25 templates with most lines by default, says how many more there are, and shows all or N on request', async () => {
    const rows = (stdout: string) => stdout.split('\n').filter((l) => /^\s*[\d,]+\s+[\d,]+\s+[\d,]+\s/.test(l));
    const table = await cli(['templates', file]);
    assert.equal(table.code, 0);
    assert.equal(rows(table.stdout).length, 25);
    assert.match(rows(table.stdout)[0]!, /^\s*40\s+781\s+820\s+eventnx happened <\*> times$/);
    assert.match(table.stdout, /\[16 more templates not shown: --all shows every one, --limit N the N with most lines\]/);
    assert.equal(rows((await cli(['templates', '--all', file])).stdout).length, 41);
    const three = await cli(['templates', '--limit', '3', file]);
    assert.deepEqual(
      rows(three.stdout).map((r) => Number(r.trim().split(/\s+/)[0])),
      [40, 39, 38],
    );
  });

  it('prints templates as mined, and masks secrets in them with --redact', async () => {
    assert.match((await cli(['templates', '--all', file])).stdout, /login failed for admin password=correcthorse/);
    const redacted = await cli(['templates', '--all', '--redact', file]);
    assert.doesNotMatch(redacted.stdout, /correcthorse/);
    assert.match(redacted.stdout, /login failed for admin password=\[REDACTED:[^\]]+\]/);
    const json = JSON.parse((await cli(['templates', '--json', '--redact', file])).stdout) as { templates: { template: string }[] };
    assert.ok(json.templates.some((t) => /password=\[REDACTED:/.test(t.template)) && !JSON.stringify(json).includes('correcthorse'));
  });

  for (const [args, message] of [
    [['templates'], /templates takes one FILE/],
    [['templates', 'a.log', 'b.log'], /templates takes one FILE, the log to group; got 2/],
    [['templates', '--assignments', 'a.log'], /--assignments adds each line's template to the --json document: give --json too/],
    [['templates', '--json', '--limit', '5', 'a.log'], /the --json document always lists every template/],
    [['templates', '--limit', '5', '--all', 'a.log'], /give --limit N or --all, not both/],
    [['templates', '--limit', '0', 'a.log'], /--limit must be a whole number from 1 to 1000000; got "0"/],
  ] as const) {
    it(`usage error (exit 2): ${args.join(' ')}`, async () => {
      const r = await cli([...args]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  it('is in the help, with its flags', async () => {
    const { stdout } = await cli(['--help']);
    assert.match(stdout, /incident-triage templates \[--limit N \| --all\] \[--json \[--assignments\]\] \[--redact\] FILE/);
    for (const flag of ['--limit N', '--all', '--assignments', '--redact']) assert.match(stdout, new RegExp(`\\n  ${flag} +templates`));
  });
});

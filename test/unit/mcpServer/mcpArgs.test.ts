import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { UsageError, parseCliArgs, type TriageOptions } from '../../../src/cli/args';
import { main } from '../../../src/cli/main';

const parsed = (argv: string[]) => parseCliArgs(argv) as TriageOptions;

describe('incident-triage mcp: its arguments', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'triage-mcp-args-'));
    await writeFile(path.join(dir, 'a-file'), 'x');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('takes several --workspace folders, in the order given', () => {
    const options = parsed(['mcp', '--workspace', '/srv/a', '--workspace', '/srv/b', '--log-glob', '**/*.txt', '--tool-timeout', '5', '--prometheus-url', 'http://127.0.0.1:9090']);
    assert.deepEqual(
      [options.command, options.workspace, options.workspaces, options.logGlobs, options.toolTimeoutSeconds, options.prometheusUrl],
      ['mcp', '/srv/a', ['/srv/a', '/srv/b'], ['**/*.txt'], 5, 'http://127.0.0.1:9090/'],
    );
  });

  const refused: [string[], RegExp][] = [
    [['mcp'], /^mcp needs --workspace DIR/],
    [['mcp', '--workspace', '/srv/a', 'find the errors'], /^mcp takes no description/],
    [['mcp', '--workspace', '/srv/a', '--http', '70000'], /^--http must be a whole number from 0 to 65535; got "70000"/],
    [['mcp', '--workspace', '/srv/a', '--http', 'localhost:8080'], /^--http must be a whole number/],
    [['mcp', '--workspace', '/srv/a', '--tool-timeout', '0'], /^--tool-timeout must be a whole number from 1 to/],
    [['mcp', '--workspace', '/srv/a', '--prometheus-url', 'file:///etc/passwd'], /^--prometheus-url must be an http\(s\) URL/],
    [['mcp', '--workspace', '/srv/a', '--mcp-config', 'servers.json'], /^--mcp-config and --allow-mcp-tool are options of triage/],
    [['triage', '--workspace', '/srv/a', '--http', '8080', 'x'], /^--http is an option of mcp/],
    // Silently reading only the last folder would hide half of what the user asked for.
    [['triage', '--workspace', '/srv/a', '--workspace', '/srv/b', 'x'], /^triage takes one --workspace; only mcp serves several folders/],
  ];
  for (const [argv, message] of refused) {
    it(`refuses ${argv.join(' ')}`, () => {
      assert.throws(
        () => parseCliArgs(argv),
        (err: unknown) => err instanceof UsageError && message.test(err.message),
      );
    });
  }

  for (const [name, workspace, message] of [
    ['a folder that does not exist', () => path.join(dir, 'missing'), /--workspace ".*missing" does not exist\./],
    ['a file', () => path.join(dir, 'a-file'), /--workspace ".*a-file" is not a folder\./],
  ] as const) {
    it(`exits 2 before serving anything when a --workspace is ${name}, with nothing on stdout`, async () => {
      let stdout = '';
      let stderr = '';
      const code = await main(['mcp', '--workspace', dir, '--workspace', workspace()], { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env: {} });
      assert.equal(code, 2);
      assert.equal(stdout, '');
      assert.match(stderr, message);
    });
  }
});

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chown, mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getRecentDeploysTool } from '../../../src/tools/deploys/getRecentDeploys';
import { runGit } from '../../../src/tools/deploys/git';
import type { ToolContext } from '../../../src/tools/registry';
import { commit, git, markerScript, signHead } from './gitFixture';

const NOW = Date.UTC(2026, 10, 20, 15, 0);
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();
const API_KEY = 'sk-ant-api03-must-never-reach-git-0123456789';

/**
 * Each case plants, in a real repository's configuration or files, something that would make git
 * run a program (a script that records that it ran, and its environment, in a marker file),
 * block, or change the output we parse. The tool must run no program, answer promptly, and
 * report exactly what it reports for the same repository without the planted setting. Where
 * git itself would act on the setting, a control shows it does, so the case is not vacuous.
 */
describe('get_recent_deploys against a hostile repository', function () {
  this.timeout(20_000);
  let base: string;
  let outside: string;
  let marker: string;
  let evil: string;
  let savedKey: string | undefined;

  const run = async (root: string, roots = [root]) => {
    const ctx: ToolContext = { workspaceRoots: roots, signal: new AbortController().signal, now: () => NOW };
    return (await getRecentDeploysTool({}).run({ since_minutes: 180 }, ctx)).text;
  };
  const assertNothingRan = () => assert.equal(existsSync(marker) ? readFileSync(marker, 'utf8') : '', '', 'no planted program ran');
  const assertControlRan = () => {
    assert.ok(existsSync(marker), 'control: plain git runs the planted program');
    assert.match(readFileSync(marker, 'utf8'), new RegExp(API_KEY), 'control: and hands it our environment');
    rmSync(marker, { force: true });
  };
  /** Plain git, as a user (or our tool before) would run it: our whole environment, the repository's configuration. */
  const plainGit = (repo: string, args: string[], timeout = 5_000) => spawnSync('git', args, { cwd: repo, env: { ...process.env }, encoding: 'utf8', timeout });

  /** A repository as a workspace folder: a root commit, a commit with a UTF-8 author and path, a signed rename, an annotated tag. */
  async function repository(name: string): Promise<string> {
    const repo = path.join(base, name);
    await mkdir(repo, { recursive: true });
    git(repo, ['init', '-q', '-b', 'main']);
    await commit(repo, 'README.md', 'Initial commit', ago(150));
    await commit(repo, 'services/payments/café.yml', 'payments: raise pool size', ago(120), 'Zoë Faure');
    signHead(repo, 'x509');
    git(repo, ['mv', 'services/payments/café.yml', 'services/payments/pool.yml']);
    git(repo, ['commit', '-q', '-m', 'payments: rename pool config'], ago(90));
    signHead(repo, 'pgp');
    git(repo, ['tag', '-a', 'v1.0', '-m', 'release 1.0'], ago(30));
    return repo;
  }

  before(async () => {
    base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'triage-githostile-')));
    outside = await realpath(await mkdtemp(path.join(os.tmpdir(), 'triage-githostile-out-')));
    marker = path.join(outside, 'marker');
    evil = await markerScript(path.join(outside, 'evil'), marker);
    savedKey = process.env.ANTHROPIC_API_KEY;
    process.env.ANTHROPIC_API_KEY = API_KEY;
  });
  after(async () => {
    if (savedKey === undefined) delete process.env.ANTHROPIC_API_KEY;
    else process.env.ANTHROPIC_API_KEY = savedKey;
    await rm(base, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });
  afterEach(() => rmSync(marker, { force: true }));

  it('reports the clean repository in full: root commit files, UTF-8 names and paths, both sides of a rename, the tag', async () => {
    const text = await run(await repository('clean'));
    const lines = text.split('\n');
    assert.equal(lines[0], '4 changes in the last 180 minutes, oldest first:');
    assert.match(lines[1]!, /^2026-11-20T12:30:00\.000Z \(2h 30m ago\) commit [0-9a-f]{10} by Dana Kim: Initial commit files: README\.md \[clean\]$/);
    assert.match(lines[2]!, /\(2h 0m ago\) commit [0-9a-f]{10} by Zoë Faure: payments: raise pool size files: services\/payments\/café\.yml \[clean\]$/);
    assert.match(lines[3]!, /\(1h 30m ago\) commit [0-9a-f]{10} by Dana Kim: payments: rename pool config files: services\/payments\/café\.yml, services\/payments\/pool\.yml \[clean\]$/);
    assert.match(lines[4]!, /\(30m ago\) tag v1\.0 by Dana Kim: release 1\.0 \[clean\]$/);
  });

  interface Vector {
    name: string;
    /** Plants the setting (and any data it needs) in the repository. */
    plant(repo: string): Promise<void>;
    /** Shows that git acts on the setting when not stopped; absent where git never would for our commands. */
    control?(repo: string): void;
  }
  const config = (repo: string, entries: [string, string][]) => {
    for (const [key, value] of entries) git(repo, ['config', key, value]);
  };

  const VECTORS: Vector[] = [
    {
      name: 'log.showSignature with gpg.program, gpg.openpgp.program, gpg.x509.program and gpg.ssh.program',
      plant: async (repo) =>
        config(repo, [
          ['log.showSignature', 'true'],
          ['gpg.program', evil],
          ['gpg.openpgp.program', evil],
          ['gpg.x509.program', evil],
          ['gpg.ssh.program', evil],
        ]),
      control: (repo) => {
        plainGit(repo, ['log', '-3', '--format=%s']);
        assertControlRan();
      },
    },
    {
      // git pages only to a terminal, and our output is a pipe; --no-pager makes sure.
      name: 'core.pager and pager.<command>',
      plant: async (repo) =>
        config(repo, [
          ['core.pager', evil],
          ['pager.log', evil],
          ['pager.for-each-ref', evil],
          ['pager.rev-parse', evil],
        ]),
    },
    {
      name: 'diff.external, and textconv and diff commands assigned through .gitattributes and core.attributesFile',
      plant: async (repo) => {
        await writeFile(path.join(outside, 'attributes'), '* diff=evil\n');
        await writeFile(path.join(repo, '.gitattributes'), '* diff=evil\n');
        config(repo, [
          ['diff.external', evil],
          ['diff.evil.textconv', evil],
          ['diff.evil.command', evil],
          ['core.attributesFile', path.join(outside, 'attributes')],
        ]);
      },
      control: (repo) => {
        plainGit(repo, ['log', '-p', '-1']);
        assertControlRan();
      },
    },
    {
      name: 'core.fsmonitor',
      plant: async (repo) => config(repo, [['core.fsmonitor', evil]]),
      control: (repo) => {
        plainGit(repo, ['status']);
        assertControlRan();
      },
    },
    {
      name: 'core.hooksPath and .git/hooks',
      plant: async (repo) => {
        const hooks = path.join(outside, 'hooks');
        for (const hook of ['reference-transaction', 'post-checkout', 'post-index-change']) {
          await markerScript(path.join(hooks, hook), marker);
          await markerScript(path.join(repo, '.git', 'hooks', hook), marker);
        }
        config(repo, [['core.hooksPath', hooks]]);
      },
      control: (repo) => {
        plainGit(repo, ['tag', 'control-tag']);
        plainGit(repo, ['tag', '-d', 'control-tag']);
        assertControlRan();
      },
    },
    {
      // git never lets an alias shadow a builtin, and we call only builtins: this pins that for the git in use.
      name: 'aliases named like the commands we run',
      plant: async (repo) =>
        config(repo, [
          ['alias.log', `!${evil}`],
          ['alias.rev-parse', `!${evil}`],
          ['alias.for-each-ref', `!${evil}`],
        ]),
    },
    {
      // A configuration file kept in the working tree, included as teams share one (one outside the workspace is refused: gitConfinement.test.ts).
      name: 'include.path and includeIf pulling configuration from the working tree',
      plant: async (repo) => {
        await writeFile(path.join(repo, 'shared.gitconfig'), `[log]\n\tshowSignature = true\n[gpg]\n\tprogram = ${evil}\n[core]\n\tfsmonitor = ${evil}\n\tpager = ${evil}\n`);
        config(repo, [
          ['include.path', '../shared.gitconfig'],
          [`includeIf.gitdir:${repo}/.path`, path.join(repo, 'shared.gitconfig')],
        ]);
      },
      control: (repo) => {
        plainGit(repo, ['log', '-1', '--format=%s']);
        assertControlRan();
      },
    },
    {
      name: 'settings that change what git prints: encoding, quoting, root commit, decorations, colour, dates, renames, mailmap, notes, order',
      plant: async (repo) => {
        await writeFile(path.join(outside, 'mailmap'), 'Mallory <m@example.com> Zoë Faure <dev@example.com>\n');
        await writeFile(path.join(outside, 'order'), 'services/payments/pool.yml\n*\n');
        git(repo, ['notes', 'add', '-m', 'a note that must not show', 'HEAD']);
        config(repo, [
          ['i18n.logOutputEncoding', 'ISO-8859-1'],
          ['core.quotePath', 'true'],
          ['log.showRoot', 'false'],
          ['log.decorate', 'full'],
          ['log.abbrevCommit', 'true'],
          ['core.abbrev', '4'],
          ['format.pretty', 'oneline'],
          ['log.date', 'relative'],
          ['color.ui', 'always'],
          ['color.diff', 'always'],
          ['log.follow', 'true'],
          ['diff.renames', 'copies'],
          ['diff.relative', 'true'],
          ['log.mailmap', 'true'],
          ['mailmap.file', path.join(outside, 'mailmap')],
          ['notes.displayRef', 'refs/notes/*'],
          ['diff.orderFile', path.join(outside, 'order')],
          ['log.diffMerges', 'first-parent'],
        ]);
      },
      control: (repo) => {
        // How the tool used to call git, with these settings in force.
        const out = plainGit(repo, ['log', '--date=iso-strict', '--name-only', '--pretty=format:%x1e%H%x1f%an%x1f%cI%x1f%P%x1f%s']).stdout;
        assert.doesNotMatch(out, /Zoë/, 'control: the author name comes out in ISO-8859-1');
        assert.match(out, /"services\/payments\/caf\\303\\251\.yml"/, 'control: the path comes out octal-quoted');
        assert.doesNotMatch(out, /README\.md/, 'control: the root commit lists no files');
      },
    },
    {
      name: 'a FIFO as .mailmap, as mailmap.file and as diff.orderFile (reading one would block git)',
      plant: async (repo) => {
        execFileSync('mkfifo', [path.join(repo, '.mailmap'), path.join(outside, 'mailmap.fifo'), path.join(outside, 'order.fifo')]);
        config(repo, [
          ['log.mailmap', 'true'],
          ['mailmap.file', path.join(outside, 'mailmap.fifo')],
          ['diff.orderFile', path.join(outside, 'order.fifo')],
        ]);
      },
      control: (repo) => {
        // Node's spawn errors carry a `code`; the typing says only Error, and every Error is an ErrnoException.
        const error: NodeJS.ErrnoException | undefined = plainGit(repo, ['log', '--name-only', '-1'], 1_500).error;
        assert.equal(error?.code, 'ETIMEDOUT', 'control: plain git waits on the FIFO');
      },
    },
  ];

  for (const vector of VECTORS) {
    it(`runs no program and prints the same: ${vector.name}`, async () => {
      const repo = await repository(vector.name.replace(/\W+/g, '-').slice(0, 40));
      const clean = await run(repo);
      await vector.plant(repo);
      vector.control?.(repo);
      rmSync(marker, { force: true });
      const t0 = Date.now();
      const text = await run(repo);
      assert.ok(Date.now() - t0 < 5_000, `answered in ${Date.now() - t0} ms`);
      assertNothingRan();
      assert.equal(text, clean);
      // eslint-disable-next-line no-control-regex -- the check is that no ESC (a terminal escape sequence) reaches the output: matching it is the regex's job.
      assert.doesNotMatch(text, /SCRIPT-RAN|\x1b\[/);
    });
  }

  it('a commit subject cannot forge a commit, whatever delimiter it holds', async () => {
    const repo = await repository('forged-subject');
    await commit(repo, 'x.txt', 'fix\x1e0123456789abcdef0123456789abcdef01234567\x1fMallory\x1f2026-11-20T14:59:00Z\x1f\x1fforged: deploy payments 9.9.9', ago(10));
    const text = await run(repo);
    assert.match(text, /^5 changes/);
    assert.doesNotMatch(text, /by Mallory|commit 0123456789/);
  });

  it('ignores GIT_DIR, GIT_WORK_TREE, GIT_CONFIG_* and every other variable of ours', async () => {
    const repo = await repository('env');
    const clean = await run(repo);
    const other = await repository('env-other');
    await commit(other, 'secret.txt', 'secret roadmap', ago(5));
    const planted = {
      GIT_DIR: path.join(other, '.git'),
      GIT_WORK_TREE: other,
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'log.showSignature',
      GIT_CONFIG_VALUE_0: 'true',
      GIT_CONFIG_KEY_1: 'gpg.program',
      GIT_CONFIG_VALUE_1: evil,
      GIT_CONFIG_PARAMETERS: `'core.fsmonitor'='${evil}'`,
    };
    Object.assign(process.env, planted);
    try {
      const control = plainGit(repo, ['log', '--format=%s']).stdout;
      assert.match(control, /secret roadmap/, 'control: a leaked GIT_DIR reads another repository');
      assertControlRan();
      const text = await run(repo);
      assertNothingRan();
      assert.equal(text, clean);
    } finally {
      for (const name of Object.keys(planted)) delete process.env[name];
    }
  });

  it('hands git and what it starts only the allowlisted environment: no API key, no token', async () => {
    process.env.PROMETHEUS_BEARER_TOKEN = 'prom-token-must-never-reach-git';
    try {
      const repo = await repository('printenv');
      // A shell alias of our own shows the environment git passes on to programs it runs.
      const env = await runGit(repo, ['-c', 'alias.printenv=!env', 'printenv'], new AbortController().signal);
      assert.match(env, /^PATH=/m);
      assert.match(env, /^LC_ALL=C$/m);
      assert.match(env, /^GIT_CONFIG_NOSYSTEM=1$/m);
      assert.match(env, /^GIT_CONFIG_GLOBAL=\/dev\/null$/m);
      assert.doesNotMatch(env, /ANTHROPIC_API_KEY|PROMETHEUS_BEARER_TOKEN|sk-ant-|prom-token/);
    } finally {
      delete process.env.PROMETHEUS_BEARER_TOKEN;
    }
  });

  describe('which repository a workspace folder reports', () => {
    let secret: string;
    before(async () => {
      secret = path.join(outside, 'secret');
      await mkdir(secret, { recursive: true });
      git(secret, ['init', '-q', '-b', 'main']);
      await commit(secret, 'plan.md', 'secret roadmap', ago(20));
    });

    it('refuses a .git file pointing at a repository outside the workspace', async () => {
      const ws = path.join(base, 'gitfile');
      await mkdir(ws, { recursive: true });
      await writeFile(path.join(ws, '.git'), `gitdir: ${path.join(secret, '.git')}\n`);
      assert.match(plainGit(ws, ['log', '--format=%s']).stdout, /secret roadmap/, 'control: git follows the .git file');
      const text = await run(ws);
      assert.doesNotMatch(text, /secret roadmap/);
      assert.match(text, /\[git history of gitfile not read: its \.git leads to a repository outside the workspace .*open that repository itself to see its history\]/);
    });

    it('refuses a .git folder whose commondir leads outside the workspace', async () => {
      const ws = path.join(base, 'commondir');
      await mkdir(path.join(ws, '.git'), { recursive: true });
      await writeFile(path.join(ws, '.git', 'HEAD'), 'ref: refs/heads/main\n');
      await writeFile(path.join(ws, '.git', 'commondir'), `${path.join(secret, '.git')}\n`);
      assert.match(plainGit(ws, ['log', '--format=%s']).stdout, /secret roadmap/, 'control: git follows commondir');
      const text = await run(ws);
      assert.doesNotMatch(text, /secret roadmap/);
      assert.match(text, /not read: its \.git leads to a repository outside the workspace/);
    });

    it('refuses a linked worktree whose repository is outside the workspace', async () => {
      const ws = path.join(base, 'linked');
      git(secret, ['worktree', 'add', '-q', ws]);
      const text = await run(ws);
      assert.doesNotMatch(text, /secret roadmap/);
      assert.match(
        text,
        /\[git history of linked not read: its \.git leads to a repository outside the workspace \(a \.git file or commondir pointing elsewhere, as a linked worktree or a submodule has\)/,
      );
    });

    it('reads a linked worktree whose repository is another folder of the workspace', async () => {
      const main = await repository('main-repo');
      const wt = path.join(base, 'main-worktree');
      git(main, ['worktree', 'add', '-q', '-b', 'hotfix', wt]);
      await commit(wt, 'hotfix.txt', 'hotfix: cap retries', ago(10));
      const text = await run(wt, [main, wt]);
      assert.match(text, /commit [0-9a-f]{10} by Dana Kim: hotfix: cap retries files: hotfix\.txt \[main-worktree\]/);
      assert.match(text, /tag v1\.0/);
    });

    it('reads a repository kept inside the workspace through a .git file (--separate-git-dir)', async () => {
      const ws = path.join(base, 'separate');
      await mkdir(ws, { recursive: true });
      git(ws, ['init', '-q', '-b', 'main', `--separate-git-dir=${path.join(ws, '.store')}`]);
      await commit(ws, 'app.ts', 'app: first cut', ago(40));
      assert.match(await run(ws), /commit [0-9a-f]{10} by Dana Kim: app: first cut files: app\.ts \[separate\]/);
    });

    it('ignores core.worktree: the folder holding .git is the working tree', async () => {
      const repo = await repository('worktree-setting');
      const clean = await run(repo);
      config(repo, [['core.worktree', secret]]);
      assert.equal(plainGit(repo, ['rev-parse', '--show-toplevel']).stdout.trim(), secret, 'control: git takes the working tree from the setting');
      assert.equal(await run(repo), clean);
    });

    it('still reports only the commits touching a folder nested in a larger repository', async () => {
      const repo = await repository('nesting');
      const text = await run(path.join(repo, 'services'));
      assert.match(text, /^2 changes/);
      assert.match(text, /raise pool size files: payments\/café\.yml \[services\]/);
      assert.match(text, /\[services is inside a larger git repository/);
      assert.doesNotMatch(text, /README|v1\.0/);
    });
  });

  it('refuses a repository owned by someone else, whatever its own or the global safe.directory says', async function () {
    if (process.getuid?.() !== 0) this.skip(); // changing a folder's owner takes root
    const repo = await repository('foreign');
    config(repo, [['safe.directory', '*']]);
    execFileSync('chown', ['-R', '12345:12345', repo]);
    const home = path.join(outside, 'home');
    await mkdir(home, { recursive: true });
    await writeFile(path.join(home, '.gitconfig'), '[safe]\n\tdirectory = *\n');
    const savedHome = process.env.HOME;
    process.env.HOME = home;
    try {
      assert.equal(plainGit(repo, ['log', '-1', '--format=%s']).status, 0, 'control: the global safe.directory makes git trust it');
      const text = await run(repo);
      assert.match(text, /\[git history of foreign unavailable: fatal: detected dubious ownership in repository/);
    } finally {
      process.env.HOME = savedHome;
      await chown(repo, 0, 0);
    }
  });

  describe('a partial clone whose missing objects would be fetched on demand', () => {
    async function partialClone(name: string, url: (source: string) => string, settings: [string, string][]): Promise<string> {
      const source = await repository(`${name}-source`);
      git(source, ['config', 'uploadpack.allowFilter', 'true']);
      const clone = path.join(base, name);
      git(base, ['clone', '-q', '--no-checkout', '--filter=tree:0', `file://${source}`, clone]);
      config(clone, [['remote.origin.url', url(source)], ...settings]);
      return clone;
    }
    const cases: [string, (source: string) => string, () => [string, string][]][] = [
      ['core.sshCommand', () => 'ssh://git.example.invalid/repo', () => [['core.sshCommand', evil]]],
      ['remote.origin.uploadpack', (source) => `file://${source}`, () => [['remote.origin.uploadpack', evil]]],
    ];
    for (const [name, url, settings] of cases) {
      it(`runs no transport: ${name}`, async () => {
        const clone = await partialClone(name.replace(/\W/g, '-'), url, settings());
        plainGit(clone, ['log', '--name-only', '-1']);
        assertControlRan();
        const text = await run(clone);
        assertNothingRan();
        assert.match(text, /\[git history of [\w-]+ unavailable: .*(lazy fetching disabled|not allowed)/);
      });
    }
  });
});

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFile, chmod, mkdir, mkdtemp, readdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getRecentDeploysTool } from '../../../src/tools/deploys/getRecentDeploys';
import { gitChangesOfRoots } from '../../../src/tools/deploys/gitRoots';
import type { ToolContext } from '../../../src/tools/registry';
import { commit, git, plantSymlinkedStore, secretRepository } from './gitFixture';

const NOW = Date.UTC(2026, 10, 20, 15, 0);
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

/**
 * A workspace's `.git` is data an attacker can shape (an archive carries it whole): it must not
 * lead git to another repository's history, nor hold git until the tool times out. Each case
 * plants the attack as it would arrive, shows plain git falling for it, and expects a note.
 */
describe('get_recent_deploys and what a .git folder holds', function () {
  this.timeout(20_000);
  let base: string;
  let secret: { repo: string; remove: () => Promise<void> };

  const run = async (root: string, roots = [root]) => {
    const ctx: ToolContext = { workspaceRoots: roots, signal: new AbortController().signal, now: () => NOW };
    const t0 = Date.now();
    const { text } = await getRecentDeploysTool({}).run({ since_minutes: 180 }, ctx);
    return { text, ms: Date.now() - t0 };
  };
  /** Plain git in `repo`, as a user would run it, with a time limit. */
  const plainGit = (repo: string, args: string[], timeout = 1_500) => spawnSync('git', args, { cwd: repo, encoding: 'utf8', timeout });
  const assertPlainGitBlocks = (repo: string, args: string[]) => {
    // Node's spawn errors carry a `code`; the typing says only Error, and every Error is an ErrnoException.
    const error: NodeJS.ErrnoException | undefined = plainGit(repo, args).error;
    assert.equal(error?.code, 'ETIMEDOUT', `control: plain git ${args[0]} waits`);
  };
  const assertPlainGitLeaks = (repo: string) => assert.match(plainGit(repo, ['log', '--format=%s']).stdout, /secret roadmap/, 'control: plain git reports the other repository');

  /** A workspace folder holding a repository with a recent commit and a tag. */
  async function repository(name: string): Promise<string> {
    const repo = path.join(base, name);
    await mkdir(repo, { recursive: true });
    git(repo, ['init', '-q', '-b', 'main']);
    await commit(repo, 'app.ts', 'app: retry payments', ago(60));
    git(repo, ['tag', '-a', 'v1.0', '-m', 'release 1.0'], ago(30));
    return repo;
  }
  const fifo = (file: string): void => {
    execFileSync('mkfifo', [file]);
  };

  before(async () => {
    base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'triage-gitdir-')));
    // Made inside the window the tool reports, so a leak would show.
    secret = await secretRepository(ago(20));
  });
  after(async () => {
    await rm(base, { recursive: true, force: true });
    await secret.remove();
  });

  describe("another repository's history", () => {
    it('refuses .git/objects and .git/refs symlinked into a repository outside the workspace', async () => {
      const ws = path.join(base, 'symlinked-store');
      await mkdir(ws);
      const unplant = await plantSymlinkedStore(ws, ago(20));
      try {
        assertPlainGitLeaks(ws);
        const { text } = await run(ws);
        assert.doesNotMatch(text, /secret roadmap/);
        assert.match(text, /\[git history of symlinked-store not read: \.git\/(objects|refs) is a symlink leading outside the workspace/);
      } finally {
        await unplant();
      }
    });

    it('refuses every objects/xx folder, the pack folder and the branch symlinked one by one', async () => {
      const ws = await repository('symlinked-one-by-one');
      const theirs = path.join(secret.repo, '.git');
      const ours = path.join(ws, '.git');
      for (const name of await readdir(path.join(theirs, 'objects'))) {
        if (name === 'info') continue;
        await rm(path.join(ours, 'objects', name), { recursive: true, force: true });
        await symlink(path.join(theirs, 'objects', name), path.join(ours, 'objects', name));
      }
      await rm(path.join(ours, 'refs', 'heads', 'main'));
      await symlink(path.join(theirs, 'refs', 'heads', 'main'), path.join(ours, 'refs', 'heads', 'main'));
      assertPlainGitLeaks(ws);
      const { text } = await run(ws);
      assert.doesNotMatch(text, /secret roadmap/);
      assert.match(text, /not read: \.git\/(objects\/\w+|refs\/heads\/main) is a symlink leading outside the workspace/);
    });

    const borrowing: [string, (objects: string) => Promise<string>][] = [
      ['an absolute path', async () => path.join(secret.repo, '.git', 'objects')],
      ['a path relative to the objects folder', async (objects) => path.relative(objects, path.join(secret.repo, '.git', 'objects'))],
      [
        // Lexically, hop/.. is the objects folder again; git follows the symlink first, to a folder four levels down.
        'a path climbing out through a symlinked folder',
        async (objects) => {
          const deep = path.join(objects, '..', '..', 'w', 'x', 'y', 'z');
          await mkdir(deep, { recursive: true });
          await symlink(deep, path.join(objects, 'hop'));
          return `hop/${'../'.repeat(6)}${path.relative(path.dirname(base), secret.repo)}/.git/objects`;
        },
      ],
      [
        'a store in the workspace that borrows from outside in turn',
        async (objects) => {
          const cache = path.join(base, 'object-cache');
          await mkdir(path.join(cache, 'info'), { recursive: true });
          await writeFile(path.join(cache, 'info', 'alternates'), `${path.join(secret.repo, '.git', 'objects')}\n`);
          return path.relative(objects, cache);
        },
      ],
    ];
    for (const [name, line] of borrowing) {
      it(`refuses objects/info/alternates naming ${name}, with HEAD set to a commit found there`, async () => {
        const ws = path.join(base, `alternates-${name.replace(/\W+/g, '-')}`);
        await mkdir(ws);
        git(ws, ['init', '-q', '-b', 'main']);
        const objects = path.join(ws, '.git', 'objects');
        await writeFile(path.join(objects, 'info', 'alternates'), `# shared objects\n${await line(objects)}\n`);
        git(ws, ['update-ref', 'HEAD', git(secret.repo, ['rev-parse', 'HEAD']).trim()]);
        assertPlainGitLeaks(ws);
        const { text } = await run(ws);
        assert.doesNotMatch(text, /secret roadmap/);
        assert.match(text, /not read: [^\]]*objects\/info\/alternates borrows objects from outside the workspace/);
      });
    }

    it('refuses a chain of six alternates inside the workspace whose last hop borrows from outside', async () => {
      const ws = path.join(base, 'alternates-chain');
      await mkdir(ws);
      git(ws, ['init', '-q', '-b', 'main']);
      // git 2.39 reads alternates at depth 5 too: five hops in the workspace, the sixth store outside.
      let previous = path.join(ws, '.git', 'objects');
      for (let hop = 1; hop <= 5; hop++) {
        const store = path.join(ws, `hop${hop}`, 'objects');
        await mkdir(path.join(store, 'info'), { recursive: true });
        await writeFile(path.join(previous, 'info', 'alternates'), `${store}\n`);
        previous = store;
      }
      await writeFile(path.join(previous, 'info', 'alternates'), `${path.join(secret.repo, '.git', 'objects')}\n`);
      git(ws, ['update-ref', 'HEAD', git(secret.repo, ['rev-parse', 'HEAD']).trim()]);
      assertPlainGitLeaks(ws);
      const { text } = await run(ws);
      assert.doesNotMatch(text, /secret roadmap/);
      assert.match(text, /not read: hop5\/objects\/info\/alternates borrows objects from outside the workspace/);
    });

    it('refuses an alternates line that climbs out of the workspace lexically, though the symlinked path stays inside', async () => {
      // git 2.32-2.38 normalise the line as text (L/.. is the objects folder again) before the
      // system follows L; the git running here follows L first, so it alone shows no leak.
      const ws = path.join(base, 'alternates-lexical');
      await mkdir(ws);
      git(ws, ['init', '-q', '-b', 'main']);
      const objects = path.join(ws, '.git', 'objects');
      await mkdir(path.join(ws, 'a', 'b', 'c', 'd', 'e'), { recursive: true });
      await mkdir(path.join(ws, 'a', 'outside', '.git', 'objects'), { recursive: true });
      await symlink(path.join(ws, 'a', 'b', 'c', 'd', 'e'), path.join(objects, 'L'));
      // Followed: ws/a/outside/.git/objects, inside. As text: base/outside/.git/objects, outside.
      await writeFile(path.join(objects, 'info', 'alternates'), 'L/../../../../outside/.git/objects\n');
      assert.equal(await realpath(`${objects}/L/../../../../outside/.git/objects`), path.join(ws, 'a', 'outside', '.git', 'objects'), 'control: followed, inside');
      assert.ok(!path.resolve(objects, 'L/../../../../outside/.git/objects').startsWith(`${ws}${path.sep}`), 'control: lexically outside');
      const { text } = await run(ws);
      assert.match(text, /not read: \.git\/objects\/info\/alternates borrows objects from outside the workspace/);
    });

    it('refuses a loose object symlinked to one of another repository, its hash named by a tag', async () => {
      const ws = await repository('symlinked-loose-object');
      const hash = git(secret.repo, ['rev-parse', 'HEAD']).trim();
      const folder = path.join(ws, '.git', 'objects', hash.slice(0, 2));
      await mkdir(folder, { recursive: true });
      await symlink(path.join(secret.repo, '.git', 'objects', hash.slice(0, 2), hash.slice(2)), path.join(folder, hash.slice(2)));
      await writeFile(path.join(ws, '.git', 'refs', 'tags', 'v9'), `${hash}\n`);
      assert.match(plainGit(ws, ['for-each-ref', '--format=%(subject)', 'refs/tags']).stdout, /secret roadmap/, 'control: plain git reads the tag');
      const { text } = await run(ws);
      assert.doesNotMatch(text, /secret roadmap/);
      assert.match(text, /not read: \.git\/objects\/[0-9a-f]{2}\/[0-9a-f]{38} is a symlink/);
    });

    it('does not walk the whole workspace through refs/x symlinked to the workspace folder', async () => {
      const ws = await repository('refs-to-workspace');
      await mkdir(path.join(ws, ...Array.from({ length: 20 }, (_, i) => `d${i}`)), { recursive: true });
      await symlink(ws, path.join(ws, '.git', 'refs', 'x'));
      const { text, ms } = await run(ws);
      assert.ok(ms < 2_000, `answered in ${ms} ms`);
      assert.match(text, /not read: \.git\/refs\/x\/(d\d+\/)+d\d+ nests refs deeper than this tool walks/);
    });

    it('reads a clone --shared whose objects are another folder of the workspace, and refuses it when that folder is not in the workspace', async () => {
      const origin = await repository('shared-origin');
      const clone = path.join(base, 'shared-clone');
      git(base, ['clone', '-q', '--shared', origin, clone]);
      assert.match((await run(clone, [origin, clone])).text, /commit [0-9a-f]{10} by Dana Kim: app: retry payments files: app\.ts \[shared-clone\]/);
      const alone = await run(clone);
      assert.doesNotMatch(alone.text, /app: retry payments/);
      assert.match(alone.text, /not read: \.git\/objects\/info\/alternates borrows objects from outside the workspace/);
    });
  });

  describe('a file git would wait on forever', () => {
    const cases: { name: string; plant: (repo: string) => Promise<void>; blocks: string[]; note: RegExp }[] = [
      {
        name: 'a FIFO as .git/config',
        plant: async (repo) => (await rm(path.join(repo, '.git', 'config')), fifo(path.join(repo, '.git', 'config'))),
        blocks: ['log'],
        note: /\.git\/config is a FIFO \(named pipe\), not a regular file/,
      },
      { name: 'a FIFO as .git/HEAD', plant: async (repo) => (await rm(path.join(repo, '.git', 'HEAD')), fifo(path.join(repo, '.git', 'HEAD'))), blocks: ['log'], note: /\.git\/HEAD is a FIFO/ },
      {
        name: 'a FIFO as .git/packed-refs',
        plant: async (repo) => (git(repo, ['pack-refs', '--all']), await rm(path.join(repo, '.git', 'packed-refs')), fifo(path.join(repo, '.git', 'packed-refs'))),
        blocks: ['log'],
        note: /\.git\/packed-refs is a FIFO/,
      },
      { name: 'a FIFO as a loose tag', plant: async (repo) => fifo(path.join(repo, '.git', 'refs', 'tags', 'v2.0')), blocks: ['for-each-ref'], note: /\.git\/refs\/tags\/v2\.0 is a FIFO/ },
      { name: 'a FIFO as .git/shallow', plant: async (repo) => fifo(path.join(repo, '.git', 'shallow')), blocks: ['log'], note: /\.git\/shallow is a FIFO/ },
      { name: 'a FIFO as .git/info/grafts', plant: async (repo) => fifo(path.join(repo, '.git', 'info', 'grafts')), blocks: ['log'], note: /\.git\/info\/grafts is a FIFO/ },
      {
        name: 'a FIFO as the commit-graph',
        plant: async (repo) => fifo(path.join(repo, '.git', 'objects', 'info', 'commit-graph')),
        blocks: ['log'],
        note: /\.git\/objects\/info\/commit-graph is a FIFO/,
      },
      {
        name: 'a FIFO as objects/info/alternates',
        plant: async (repo) => fifo(path.join(repo, '.git', 'objects', 'info', 'alternates')),
        blocks: ['log'],
        note: /\.git\/objects\/info\/alternates is a FIFO/,
      },
      {
        name: 'a FIFO as config.worktree, which extensions.worktreeConfig reads',
        plant: async (repo) => (git(repo, ['config', 'extensions.worktreeConfig', 'true']), fifo(path.join(repo, '.git', 'config.worktree'))),
        blocks: ['log'],
        note: /\.git\/config\.worktree is a FIFO/,
      },
      // The include lines are written by hand: `git config` would read the FIFO, and wait.
      {
        name: 'include.path naming a FIFO in the working tree',
        plant: async (repo) => (fifo(path.join(repo, 'shared.gitconfig')), await appendFile(path.join(repo, '.git', 'config'), '[include]\n\tpath = ../shared.gitconfig\n')),
        blocks: ['log'],
        note: /\.git\/config includes \.\.\/shared\.gitconfig, which is a FIFO \(named pipe\), not a regular file/,
      },
      {
        name: 'includeIf.onbranch naming a FIFO by absolute path',
        plant: async (repo) => (
          fifo(path.join(repo, 'team.gitconfig')),
          await appendFile(path.join(repo, '.git', 'config'), `[includeIf "onbranch:main"]\n\tpath = ${path.join(repo, 'team.gitconfig')}\n`)
        ),
        blocks: ['log'],
        note: /\.git\/config includes \/\S+\/team\.gitconfig, which is a FIFO/,
      },
      {
        name: 'an included file that includes a FIFO',
        plant: async (repo) => {
          fifo(path.join(repo, 'inner.gitconfig'));
          await writeFile(path.join(repo, 'outer.gitconfig'), '[INCLUDE]\n\tPath = inner.gitconfig\n');
          await appendFile(path.join(repo, '.git', 'config'), '[include]\n\tpath = ../outer.gitconfig\n');
        },
        blocks: ['log'],
        note: /outer\.gitconfig includes inner\.gitconfig, which is a FIFO/,
      },
    ];
    for (const c of cases) {
      it(`refuses at once, before git runs: ${c.name}`, async () => {
        const repo = await repository(c.name.replace(/\W+/g, '-').slice(0, 40));
        await c.plant(repo);
        assertPlainGitBlocks(repo, c.blocks);
        const { text, ms } = await run(repo);
        assert.ok(ms < 2_000, `answered in ${ms} ms`);
        assert.match(text, /^No deploys, commits or tags in the last 180 minutes\.\n\[git history of [\w-]+ not read: /);
        assert.match(text, c.note);
      });
    }

    it('refuses a configuration file included from outside the workspace', async () => {
      const repo = await repository('include-outside');
      const elsewhere = path.join(secret.repo, 'team.gitconfig');
      await writeFile(elsewhere, '[core]\n\tabbrev = 12\n');
      git(repo, ['config', 'include.path', elsewhere]);
      const { text } = await run(repo);
      assert.match(text, /not read: \.git\/config includes \/\S+\/team\.gitconfig, outside the workspace/);
    });

    it('refuses a FIFO as a loose object at once', async () => {
      const repo = await repository('fifo-object');
      const head = git(repo, ['rev-parse', 'HEAD']).trim();
      const object = path.join(repo, '.git', 'objects', head.slice(0, 2), head.slice(2));
      await rm(object, { force: true });
      fifo(object);
      assertPlainGitBlocks(repo, ['log']);
      const { text, ms } = await run(repo);
      assert.ok(ms < 2_000, `answered in ${ms} ms`);
      assert.match(text, /\[git history of fifo-object not read: \.git\/objects\/[0-9a-f]{2}\/[0-9a-f]{38} is a FIFO/);
    });

    it('refuses a FIFO included through a symlinked include, resolving the nested include beside the link as git does', async () => {
      const repo = await repository('symlinked-include');
      const git_ = path.join(repo, '.git');
      await mkdir(path.join(git_, 'sub'));
      await mkdir(path.join(repo, 'conf'));
      await writeFile(path.join(repo, 'conf', 'real.inc'), '[include]\n\tpath = x.inc\n');
      await symlink('../../conf/real.inc', path.join(git_, 'sub', 'link.inc'));
      fifo(path.join(git_, 'sub', 'x.inc'));
      await appendFile(path.join(git_, 'config'), '[include]\n\tpath = sub/link.inc\n');
      assertPlainGitBlocks(repo, ['log']);
      const { text, ms } = await run(repo);
      assert.ok(ms < 2_000, `answered in ${ms} ms`);
      assert.match(text, /not read: \.git\/sub\/link\.inc includes x\.inc, which is a FIFO/);
    });
  });

  describe('several slow repositories in one workspace', () => {
    // No file we leave unchecked still makes git wait (those we know of are refused before git
    // runs), so a git that waits is stood in for by a wrapper: on a root named slow-* it becomes
    // `sleep`, as git blocked on a file would, and is ended by the time limit; elsewhere it runs git.
    let savedPath: string | undefined;
    before(async () => {
      const bin = path.join(base, 'slow-git-bin');
      await mkdir(bin);
      const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
      await writeFile(path.join(bin, 'git'), `#!/bin/sh\ncase "$*" in *"/slow-"*" log "*) exec sleep 30;; esac\nexec '${real}' "$@"\n`);
      await chmod(path.join(bin, 'git'), 0o755);
      savedPath = process.env.PATH;
      process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
    });
    after(() => {
      process.env.PATH = savedPath;
    });

    it('reports the good root and ends well before the tool timeout when three roots make git wait', async () => {
      const slow = await Promise.all(['slow-1', 'slow-2', 'slow-3'].map((name) => repository(name)));
      const good = await repository('good-beside-slow');
      const { text, ms } = await run(good, [...slow, good]);
      assert.ok(ms < 9_000, `answered in ${ms} ms`);
      assert.match(text, /commit [0-9a-f]{10} by Dana Kim: app: retry payments files: app\.ts \[good-beside-slow\]/);
      for (const name of ['slow-1', 'slow-2', 'slow-3']) assert.match(text, new RegExp(`\\[git history of ${name} not read: `));
    });

    it('says which roots the shared deadline left unread', async () => {
      const slow = await repository('slow-deadline');
      const good = await repository('good-after-deadline');
      const { changes, notes } = await gitChangesOfRoots([slow, good], NOW - 180 * 60_000, NOW, new AbortController().signal, { budgetMs: 1_000, concurrency: 1 });
      assert.equal(changes.length, 0);
      assert.match(notes.join('\n'), /\[git history of slow-deadline not read: [^\]]*1 s/);
      assert.match(notes.join('\n'), /\[git history of good-after-deadline skipped: the 1 s given to reading git history ran out/);
    });
  });

  it('says which git is too old rather than run one that would read the global configuration', async () => {
    const repo = await repository('old-git');
    const bin = path.join(base, 'old-git-bin');
    await mkdir(bin);
    await writeFile(path.join(bin, 'git'), '#!/bin/sh\necho "git version 2.31.8"\n');
    await chmod(path.join(bin, 'git'), 0o755);
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}${path.delimiter}${savedPath}`;
    try {
      const { text } = await run(repo);
      assert.match(text, /\[git history of old-git not read: git version 2\.31\.8 is older than 2\.32, .*update git to see commit history\]/);
    } finally {
      process.env.PATH = savedPath;
    }
  });
});

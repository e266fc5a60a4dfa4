import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isWithin } from '../../security/confinement';
import { runGit, type GitDeadline } from './git';
import { assertIncludesSafe } from './gitConfigIncludes';
import { assertGitDirConfined, assertStartupFilesSafe, type Inside, type Shown } from './gitDirConfinement';
import { RepositoryRefused } from './repositoryRefused';

/** A repository whose history may be reported for a workspace folder. */
export interface WorkspaceRepository {
  /** The git directory, a real path; passed explicitly to every later command. */
  gitDir: string;
  /** The top of the working tree, a real path; passed explicitly, so core.worktree cannot move it. */
  workTree: string;
  /** The folder lies inside a larger repository: only commits touching it may be reported. */
  nested: boolean;
}

/**
 * Where a workspace folder's history comes from, decided before any history is read.
 *
 * - The folder has its own `.git` (a folder, or a `.git` file as linked worktrees, submodules and
 *   `--separate-git-dir` make): its git directory, and the common directory holding its objects
 *   and refs (`commondir`), must lie inside the workspace (any of its folders). A `.git` file or a
 *   `commondir` leading elsewhere could report any repository on the disk, so it is refused —
 *   also for a genuine linked worktree or submodule whose main repository is outside the
 *   workspace: open that repository's folder (or add it to the workspace) to see its history.
 * - The folder sits inside a larger repository (git found `.git` in a folder above it): allowed
 *   when that is an ordinary repository, its `.git` folder at the top of its working tree; then
 *   only commits touching the folder are reported.
 *
 * Either way, what the git directory holds must not lead elsewhere either (symlinks, alternates:
 * assertGitDirConfined), and nothing git opens may block it (FIFOs, devices, includes of them).
 * Those files are checked where we expect git to find the repository before git first runs, and
 * again where git says it is. The working tree is then fixed by us, not by core.worktree, and no
 * GIT_DIR of ours reaches git. Returns undefined when the folder is in no repository at all.
 */
export async function locateRepository(root: string, workspaceRoots: readonly string[], signal: AbortSignal, deadline?: GitDeadline): Promise<WorkspaceRepository | undefined> {
  const realRoot = await realpath(root);
  const realRoots = await Promise.all(workspaceRoots.map((r) => realpath(r)));
  const inWorkspace: Inside = (p) => realRoots.some((r) => isWithin(r, p));
  const shown: Shown = (p) => path.relative(realRoot, p) || '.';
  // A repository above the folder may also read from its own working tree (an included config file).
  const insideRepository =
    (top: string): Inside =>
    (p) =>
      inWorkspace(p) || isWithin(top, p);

  const expected = await dotGitAbove(realRoot);
  if (expected) {
    const inside = expected.top === realRoot ? inWorkspace : insideRepository(expected.top);
    if (inside(expected.gitDir)) await assertStartable(expected.gitDir, inside, shown, signal, deadline);
  }

  let out: string;
  try {
    out = await runGit(root, ['rev-parse', '--path-format=absolute', '--absolute-git-dir', '--git-common-dir'], signal, deadline);
  } catch (err) {
    if (/not a git repository/i.test((err as { stderr?: string }).stderr ?? '')) return undefined;
    throw err;
  }
  const [gitDirOut = '', commonDirOut = ''] = out.split('\n');
  const [gitDir, commonDir] = await Promise.all([realpath(gitDirOut), realpath(commonDirOut)]);

  let repo: WorkspaceRepository;
  let inside: Inside;
  if ((await hasOwnGit(realRoot)) || gitDir === realRoot) {
    if (!inWorkspace(gitDir) || !inWorkspace(commonDir)) {
      throw new RepositoryRefused(
        `its .git leads to a repository outside the workspace (a .git file or commondir pointing elsewhere, as a linked worktree or a submodule has); ` +
          'open that repository itself to see its history',
      );
    }
    repo = { gitDir, workTree: realRoot, nested: false };
    inside = inWorkspace;
  } else {
    const top = path.dirname(gitDir);
    if (path.basename(gitDir) !== '.git' || commonDir !== gitDir || !isWithin(top, realRoot)) {
      throw new RepositoryRefused('it lies inside a linked worktree or submodule whose repository is elsewhere; open that repository itself to see its history');
    }
    repo = { gitDir, workTree: top, nested: true };
    inside = insideRepository(top);
  }
  if (expected?.gitDir !== gitDir) await assertStartable(gitDir, inside, shown, signal, deadline);
  await assertGitDirConfined([...new Set([gitDir, commonDir])], inside, shown, signal);
  return repo;
}

/**
 * The files git opens as it starts, in a git directory and the common directory its `commondir`
 * names: no FIFO, device or symlink out of the workspace (assertStartupFilesSafe), and no such
 * file pulled in by the configuration's includes.
 */
async function assertStartable(gitDir: string, inside: Inside, shown: Shown, signal: AbortSignal, deadline?: GitDeadline): Promise<void> {
  await assertStartupFilesSafe(gitDir, inside, shown);
  const named = await readFile(path.join(gitDir, 'commondir'), 'utf8').catch(() => undefined);
  const commonDir = named === undefined ? gitDir : await realpath(path.resolve(gitDir, named.trim())).catch(() => gitDir);
  if (commonDir !== gitDir) {
    // Outside the workspace: the caller refuses the repository before git reads anything more there.
    if (!inside(commonDir)) return;
    await assertStartupFilesSafe(commonDir, inside, shown);
  }
  for (const dir of new Set([gitDir, commonDir])) {
    for (const name of ['config', 'config.worktree']) await assertIncludesSafe(path.join(dir, name), inside, shown, signal, deadline);
  }
}

/**
 * The git directory git will find for `folder`, found as git looks for it (the first `.git`
 * folder, or `.git` file's `gitdir:`, in the folder or a folder above), without running git.
 * `top` is the folder holding that `.git`. Only where to check before git runs: git's own answer
 * decides, and is checked again.
 */
async function dotGitAbove(folder: string): Promise<{ gitDir: string; top: string } | undefined> {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    const dotGit = path.join(dir, '.git');
    // Followed, as git follows a symlinked .git; anything else named .git (a FIFO) git passes by.
    const st = await stat(dotGit).catch(() => undefined);
    if (st?.isDirectory()) return { gitDir: await realpath(dotGit), top: dir };
    if (st?.isFile()) {
      const named = /^gitdir: (.*)$/m.exec(await readFile(dotGit, 'utf8'))?.[1];
      const gitDir = named && (await realpath(path.resolve(dir, named.trim())).catch(() => undefined));
      return gitDir ? { gitDir, top: dir } : undefined;
    }
    if (dir === path.dirname(dir)) return undefined;
  }
}

/** A `.git` entry (folder or file) in the folder itself: git looks there before climbing up. */
async function hasOwnGit(folder: string): Promise<boolean> {
  return lstat(path.join(folder, '.git')).then(
    () => true,
    () => false,
  );
}

import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { isWithin } from '../../security/confinement';
import { runGit } from './git';
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
 * The working tree is then fixed by us, not by core.worktree, and no GIT_DIR of ours reaches git.
 * Returns undefined when the folder is in no repository at all.
 */
export async function locateRepository(root: string, workspaceRoots: readonly string[], signal: AbortSignal): Promise<WorkspaceRepository | undefined> {
  let out: string;
  try {
    out = await runGit(root, ['rev-parse', '--path-format=absolute', '--absolute-git-dir', '--git-common-dir'], signal);
  } catch (err) {
    if (/not a git repository/i.test((err as { stderr?: string }).stderr ?? '')) return undefined;
    throw err;
  }
  const [gitDirOut = '', commonDirOut = ''] = out.split('\n');
  const [realRoot, gitDir, commonDir] = await Promise.all([realpath(root), realpath(gitDirOut), realpath(commonDirOut)]);
  const realRoots = await Promise.all(workspaceRoots.map((r) => realpath(r)));
  const inWorkspace = (p: string) => realRoots.some((r) => isWithin(r, p));

  if ((await hasOwnGit(realRoot)) || gitDir === realRoot) {
    if (inWorkspace(gitDir) && inWorkspace(commonDir)) return { gitDir, workTree: realRoot, nested: false };
    throw new RepositoryRefused(
      `its .git leads to a repository outside the workspace (a .git file or commondir pointing elsewhere, as a linked worktree or a submodule has); ` +
        'open that repository itself to see its history',
    );
  }
  const top = path.dirname(gitDir);
  if (path.basename(gitDir) === '.git' && commonDir === gitDir && isWithin(top, realRoot)) return { gitDir, workTree: top, nested: true };
  throw new RepositoryRefused('it lies inside a linked worktree or submodule whose repository is elsewhere; open that repository itself to see its history');
}

/** A `.git` entry (folder or file) in the folder itself: git looks there before climbing up. */
async function hasOwnGit(folder: string): Promise<boolean> {
  return lstat(path.join(folder, '.git')).then(
    () => true,
    () => false,
  );
}

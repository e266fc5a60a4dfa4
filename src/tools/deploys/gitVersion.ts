import { runGit, type GitDeadline } from './git';
import { RepositoryRefused } from './repositoryRefused';

/**
 * The oldest git that honours everything runGit relies on: GIT_CONFIG_GLOBAL (2.32; before it the
 * user's global configuration, with its safe.directory, is read after all), rev-parse
 * --path-format and log --diff-merges (2.31).
 */
export const MIN_GIT: readonly [number, number] = [2, 32];

/**
 * `git version` of the git on PATH, asked once per PATH rather than once per folder and call:
 * the binary does not change under a running process, a PATH can.
 */
const versions = new Map<string, Promise<string>>();

function gitVersion(cwd: string, signal: AbortSignal, deadline?: GitDeadline): Promise<string> {
  const key = process.env.PATH ?? '';
  let version = versions.get(key);
  if (!version) {
    version = runGit(cwd, ['version'], signal, deadline);
    versions.set(key, version);
    // A failed or cancelled look is not an answer: the next call asks again.
    version.catch(() => versions.delete(key));
  }
  return version;
}

/**
 * Refuses to read history with a git older than MIN_GIT, saying so, rather than let it quietly
 * read configuration we keep out. `git version` reads no repository and no configuration.
 */
export async function assertGitRecentEnough(cwd: string, signal: AbortSignal, deadline?: GitDeadline): Promise<void> {
  const out = await gitVersion(cwd, signal, deadline);
  const [, major = '0', minor = '0'] = /(\d+)\.(\d+)/.exec(out) ?? [];
  const [needMajor, needMinor] = MIN_GIT;
  if (Number(major) > needMajor || (Number(major) === needMajor && Number(minor) >= needMinor)) return;
  throw new RepositoryRefused(`${out.trim()} is older than ${needMajor}.${needMinor}, the oldest this tool can keep from reading configuration it must not; update git to see commit history`);
}

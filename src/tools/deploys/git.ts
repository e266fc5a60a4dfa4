import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { childEnv } from '../../security/childEnv';
import { RepositoryRefused } from './repositoryRefused';

const run = promisify(execFile);

/**
 * How long one git command may take. Ours answer in milliseconds even on large repositories; one
 * that takes longer is stuck on a file that never ends (a FIFO or a device where git expects a
 * file, in a place we do not check), and the tool's own timeout would blame the request instead.
 */
export const GIT_TIME_LIMIT_MS = 5_000;

/**
 * When the whole call's reading of git history must be over (`at`, in ms since the epoch), and how
 * many seconds it was given, for the note: one command's limit is cut short to end there.
 */
export interface GitDeadline {
  at: number;
  seconds: number;
}

/**
 * Settings a workspace's git configuration could use to make us run a program, block, or change
 * the output we parse. Command-line settings outrank every configuration file, including those
 * pulled in by include.path and includeIf, so these hold whatever the repository says.
 * (Settings a command's own flags override are set by those flags where the command runs.)
 */
const PINNED_SETTINGS: readonly [string, string][] = [
  // Programs git would run on its own: fsmonitor on index reads, hooks on ref updates.
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', '/dev/null'],
  // No transport at all: a partial clone fetches missing objects on demand, running
  // core.sshCommand, remote.*.uploadpack or a remote helper of the repository's choosing.
  ['protocol.allow', 'never'],
  // A global attributes file could assign diff drivers (their programs are off anyway: --no-ext-diff, --no-textconv).
  ['core.attributesFile', '/dev/null'],
  // Paths as they are (quoted only for control characters, never octal-escaped UTF-8).
  ['core.quotePath', 'false'],
  // Output shape: a root commit lists its files; one pathspec never turns into --follow.
  ['log.showRoot', 'true'],
  ['log.follow', 'false'],
  ['color.ui', 'never'],
];

/**
 * Runs a builtin git command, read-only, so that neither the workspace nor our own environment
 * can steer it:
 * - the environment is an allowlist (no API key or token reaches git or anything it starts; no
 *   GIT_DIR, GIT_WORK_TREE or GIT_CONFIG_* of ours reaches it either);
 * - system and global configuration are not read (GIT_CONFIG_NOSYSTEM, GIT_CONFIG_GLOBAL): they
 *   are the user's, but nothing we run needs them, and `safe.directory` is honoured only there,
 *   so a repository owned by someone else is refused rather than trusted;
 * - the repository's own configuration is overridden where it matters (PINNED_SETTINGS);
 * - no pager, no optional locks, no prompt, and messages in English, which callers match;
 * - a time limit (GIT_TIME_LIMIT_MS, or less when `deadline` comes first), past which the
 *   repository is refused as unreadable.
 * Only builtin commands are called (rev-parse, log, for-each-ref): git never lets an alias
 * shadow a builtin, so no `alias.*` of the repository runs.
 */
export async function runGit(cwd: string, args: readonly string[], signal: AbortSignal, deadline?: GitDeadline): Promise<string> {
  const left = deadline ? deadline.at - Date.now() : Infinity;
  if (left <= 0) throw new RepositoryRefused(outOfTime(deadline as GitDeadline));
  const limit = Math.min(GIT_TIME_LIMIT_MS, left);
  const settings = PINNED_SETTINGS.flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  const env = childEnv({
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    // Refuses lazy fetches outright (git 2.39.4, 2.45 and later); protocol.allow covers older ones.
    GIT_NO_LAZY_FETCH: '1',
    LC_ALL: 'C',
  });
  try {
    const { stdout } = await run('git', ['--no-pager', ...settings, '-C', cwd, ...args], { signal, env, maxBuffer: 16 * 1024 * 1024, timeout: limit });
    return stdout;
  } catch (err) {
    // `killed` with our signal not aborted: the time limit ended it.
    if ((err as { killed?: boolean }).killed && !signal.aborted) {
      if (deadline && limit < GIT_TIME_LIMIT_MS) throw new RepositoryRefused(outOfTime(deadline));
      throw new RepositoryRefused(
        `the repository could not be read: git did not answer within ${GIT_TIME_LIMIT_MS / 1000} s ` + '(a FIFO or a device where git expects a file would do that); its history is left out',
      );
    }
    throw err;
  }
}

/** Why a repository is left out when the call's time for git history ran out while it was read. */
export function outOfTime(deadline: GitDeadline): string {
  return `the ${deadline.seconds} s given to reading the workspace's git history ran out while it was read (a slow or blocking repository of the workspace takes it); its history is left out`;
}

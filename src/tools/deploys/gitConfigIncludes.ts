import { readFile, realpath, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { nonFileKind } from '../regularFile';
import { runGit, type GitDeadline } from './git';
import type { Inside, Shown } from './gitDirConfinement';
import { RepositoryRefused } from './repositoryRefused';

/** git refuses to follow includes deeper than this. */
const MAX_INCLUDE_DEPTH = 10;

/**
 * Every file a repository's configuration pulls in with include.path or includeIf.<condition>.path
 * (whatever the condition: we do not judge it as git would) must be a regular file inside the
 * workspace: git reads it as it starts, and a FIFO there, or a file outside the workspace
 * swapped for one, would block every command until the tool timed out. Included files are
 * checked for includes in turn. `configFile` itself must already be known to be a regular file:
 * git reads it to list the includes. A missing configuration or include file is fine, as for git.
 */
export async function assertIncludesSafe(configFile: string, inside: Inside, shown: Shown, signal: AbortSignal, deadline?: GitDeadline, depth = 0): Promise<void> {
  for (const value of await includePaths(configFile, signal, deadline)) {
    const target = includeTarget(value, configFile);
    if (target === undefined) throw new RepositoryRefused(`${shown(configFile)} includes "${value}", a path this tool cannot check`);
    const real = await realpath(target).catch(() => undefined);
    if (real === undefined) continue;
    if (!inside(real)) throw new RepositoryRefused(`${shown(configFile)} includes ${value}, outside the workspace; git would read it as configuration`);
    const kind = nonFileKind(await stat(real));
    if (kind) throw new RepositoryRefused(`${shown(configFile)} includes ${value}, which is ${kind}, not a regular file; git would wait on it`);
    if (depth + 1 >= MAX_INCLUDE_DEPTH) throw new RepositoryRefused(`${shown(configFile)} nests includes deeper than git follows them`);
    // Checked where it leads (`real`), but read as git reads it: by the path as written, beside
    // which git resolves the included file's own relative includes (not beside the link's target).
    await assertIncludesSafe(target, inside, shown, signal, deadline, depth + 1);
  }
}

/**
 * The include paths in one configuration file, read by git's own parser without following them.
 * Files that never spell "include" (in any case, as section names must be spelt) are not handed
 * to git at all. `--git-dir=/dev/null` keeps git from looking for a repository around the folder
 * it runs in, whose configuration (and its includes) it would otherwise read first.
 */
async function includePaths(configFile: string, signal: AbortSignal, deadline?: GitDeadline): Promise<string[]> {
  const text = await readFile(configFile, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  if (!/include/i.test(text)) return [];
  let out: string;
  try {
    out = await runGit(path.dirname(configFile), ['--git-dir=/dev/null', 'config', '--file', configFile, '--no-includes', '-z', '--get-regexp', '^include(if)?\\.'], signal, deadline);
  } catch (err) {
    // Exit 1: none found.
    if ((err as { code?: number }).code === 1) return [];
    throw err;
  }
  // -z: each entry is "key\nvalue\0" (just "key\0" when it has no value, which git rejects as an include).
  return out.split('\0').flatMap((entry) => {
    const end = entry.indexOf('\n');
    return end >= 0 && entry.slice(0, end).endsWith('.path') ? [entry.slice(end + 1)] : [];
  });
}

/**
 * Where git finds an include path: `~/` in HOME, a relative path beside the including file;
 * undefined for forms we do not resolve (`~user/`, `%(prefix)/`, `:(optional)`). Joined, not
 * path.resolve'd: git lets the system walk the path, following a symlink before a "..".
 */
function includeTarget(value: string, configFile: string): string | undefined {
  if (value.startsWith('~/')) return `${process.env.HOME ?? os.homedir()}${path.sep}${value.slice(2)}`;
  if (/^(~|%\(|:\()/.test(value)) return undefined;
  return path.isAbsolute(value) ? value : `${path.dirname(configFile)}${path.sep}${value}`;
}

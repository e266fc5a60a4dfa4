import type { Stats } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { nonFileKind } from '../regularFile';
import { RepositoryRefused } from './repositoryRefused';

/** Whether a real path lies where the repository may read: the workspace (and, nested, the repository's own top). */
export type Inside = (realPath: string) => boolean;
/** A path as the note shows it: relative to the workspace folder. */
export type Shown = (p: string) => string;

/** git follows alternates of alternates this deep, and no deeper. */
const MAX_ALTERNATE_DEPTH = 5;

/**
 * The entries of a git directory, among them the files git opens as it starts, before it reads a
 * single commit (HEAD, config, commondir, config.worktree): none may be a FIFO or device, which
 * would block it, or a symlink out of the workspace. Checked before git first runs, so that git
 * never meets them.
 */
export async function assertStartupFilesSafe(dir: string, inside: Inside, shown: Shown): Promise<void> {
  await checkEntries(dir, 1, inside, shown);
}

/**
 * Everything git reads history from must lie in the workspace, however the git directory reaches
 * it: a symlinked `objects` or `refs` (or any other entry of the git directory), a symlinked pack
 * or `objects/xx` folder, a symlinked loose ref, or `objects/info/alternates` borrowing another
 * repository's objects (relative lines resolve against the objects folder, and alternates are
 * followed through alternates, as git does). Otherwise HEAD could name a commit of a repository
 * elsewhere on the disk and we would report its history. FIFOs and devices among these files are
 * refused too: git would block on them.
 * Not walked: loose object files inside `objects/xx` (a symlink there brings in only an object
 * whose hash, hence content, its author already knew; a FIFO there meets runGit's time limit) and
 * reflogs (our commands never read them).
 */
export async function assertGitDirConfined(dirs: readonly string[], inside: Inside, shown: Shown): Promise<void> {
  for (const dir of dirs) {
    await checkEntries(dir, 1, inside, shown);
    await checkEntries(path.join(dir, 'refs'), Infinity, inside, shown);
    await checkEntries(path.join(dir, 'info'), 1, inside, shown);
    await checkEntries(path.join(dir, 'reftable'), 1, inside, shown);
    await checkEntries(path.join(dir, 'worktrees'), 2, inside, shown);
  }
  const seen = new Set<string>();
  let stores = [...new Set(dirs.map((dir) => path.join(dir, 'objects')))];
  for (let depth = 0; stores.length > 0; depth++) {
    const next: string[] = [];
    for (const store of stores) {
      const real = await realpath(store).catch(() => undefined);
      if (!real || seen.has(real)) continue;
      seen.add(real);
      await checkEntries(store, 1, inside, shown);
      await checkEntries(path.join(store, 'pack'), 1, inside, shown);
      await checkEntries(path.join(store, 'info'), 2, inside, shown);
      if (depth < MAX_ALTERNATE_DEPTH) next.push(...(await alternates(real, inside, shown)));
    }
    stores = next;
  }
}

/** The object folders `objects/info/alternates` borrows from, each inside the workspace (or refused). */
async function alternates(store: string, inside: Inside, shown: Shown): Promise<string[]> {
  const file = path.join(store, 'info', 'alternates');
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const found: string[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    // git unquotes a line in C-style quotes; such a line is refused rather than unquoted by us.
    if (line.startsWith('"')) throw new RepositoryRefused(`${shown(file)} names an object folder in quotes, which this tool does not follow`);
    // Joined, not path.resolve'd: git lets the system walk the path, following a symlink before a "..".
    const real = await realpath(path.isAbsolute(line) ? line : `${store}${path.sep}${line}`).catch(() => undefined);
    // git skips an alternate that does not exist, and so do we.
    if (real === undefined) continue;
    if (!inside(real)) throw new RepositoryRefused(`${shown(file)} borrows objects from outside the workspace; git would report another repository's commits`);
    found.push(real);
  }
  return found;
}

/**
 * Walks `dir` `depth` levels down with lstat: a symlink must resolve inside the workspace, and
 * nothing may be a FIFO or a device. Sockets are left alone: opening one fails at once, and git's
 * own fsmonitor daemon keeps one in the git directory. A missing `dir` is fine. Symlinked folders
 * are walked too, as git follows them, each once: a link back up would otherwise loop forever.
 */
async function checkEntries(dir: string, depth: number, inside: Inside, shown: Shown, walked = new Set<string>()): Promise<void> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [];
    throw err;
  });
  for (const name of entries) {
    const entry = path.join(dir, name);
    const target = await followed(entry, inside, shown);
    if (!target) continue;
    if (target.isFIFO() || target.isCharacterDevice() || target.isBlockDevice()) {
      throw new RepositoryRefused(`${shown(entry)} is ${nonFileKind(target)}, not a regular file; git would wait on it`);
    }
    if (!target.isDirectory() || depth <= 1) continue;
    const real = await realpath(entry);
    if (walked.has(real)) continue;
    walked.add(real);
    await checkEntries(entry, depth - 1, inside, shown, walked);
  }
}

/** What `entry` is, a symlink followed (and refused if it leads out of the workspace); undefined when it leads nowhere. */
async function followed(entry: string, inside: Inside, shown: Shown): Promise<Stats | undefined> {
  const own = await lstat(entry);
  if (!own.isSymbolicLink()) return own;
  const real = await realpath(entry).catch(() => undefined);
  // A dangling link: git finds nothing there either.
  if (real === undefined) return undefined;
  if (!inside(real)) throw new RepositoryRefused(`${shown(entry)} is a symlink leading outside the workspace; git would read another repository's data through it`);
  return stat(real);
}

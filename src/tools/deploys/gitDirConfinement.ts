import type { Stats } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { nonFileKind } from '../regularFile';
import { RepositoryRefused } from './repositoryRefused';

/** Whether a real path lies where the repository may read: the workspace (and, nested, the repository's own top). */
export type Inside = (realPath: string) => boolean;
/** A path as the note shows it: relative to the workspace folder. */
export type Shown = (p: string) => string;

/** How deep the walk of `refs/` goes, and how many entries it looks at, before it refuses the repository. */
const MAX_REFS_DEPTH = 16;
const MAX_REFS_ENTRIES = 20_000;

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
 * or `objects/xx` folder, a symlinked loose ref or loose object, or `objects/info/alternates`
 * borrowing another repository's objects (relative lines resolve against the objects folder, and
 * alternates are followed through alternates, as git does). Otherwise HEAD or a tag could name a
 * commit of a repository elsewhere on the disk and we would report its history: knowing a
 * commit's hash is not knowing its content, so a loose object symlinked to another repository's
 * leaks that content. FIFOs and devices among these files are refused too: git would block on them.
 * Not walked: reflogs (our commands never read them).
 */
export async function assertGitDirConfined(dirs: readonly string[], inside: Inside, shown: Shown, signal?: AbortSignal): Promise<void> {
  for (const dir of dirs) {
    await checkEntries(dir, 1, inside, shown);
    await checkEntries(path.join(dir, 'refs'), MAX_REFS_DEPTH, inside, shown, new Set(), { left: MAX_REFS_ENTRIES, signal });
    await checkEntries(path.join(dir, 'info'), 1, inside, shown);
    await checkEntries(path.join(dir, 'reftable'), 1, inside, shown);
    await checkEntries(path.join(dir, 'worktrees'), 2, inside, shown);
  }
  const seen = new Set<string>();
  let stores = [...new Set(dirs.map((dir) => path.join(dir, 'objects')))];
  // Every alternate of every alternate, however deep: git follows a chain at least five hops deep
  // (2.39 reads the files at depth 5 too), and checking more than git follows only refuses more.
  // `seen` ends loops.
  while (stores.length > 0) {
    const next: string[] = [];
    for (const store of stores) {
      const real = await realpath(store).catch(() => undefined);
      if (!real || seen.has(real)) continue;
      seen.add(real);
      await checkEntries(store, 1, inside, shown);
      await checkEntries(path.join(store, 'pack'), 1, inside, shown);
      await checkEntries(path.join(store, 'info'), 2, inside, shown);
      await checkLooseObjects(store, shown, signal);
      next.push(...(await alternates(real, inside, shown)));
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
    // Joined, not path.resolve'd: git 2.39 lets the system walk the path, following a symlink before a "..".
    const real = await realpath(path.isAbsolute(line) ? line : `${store}${path.sep}${line}`).catch(() => undefined);
    // git skips an alternate that does not exist, and so do we.
    if (real === undefined) continue;
    // Older git (2.32-2.38) normalised the line as text first (`L/..` is the store again, whatever
    // L links to), so the line must lie inside read that way too.
    if (!inside(real) || !inside(path.resolve(store, line))) throw new RepositoryRefused(`${shown(file)} borrows objects from outside the workspace; git would report another repository's commits`);
    found.push(real);
  }
  return found;
}

/**
 * Every loose object (`objects/xx/<38 hex>`, and anything else in a two-hex-digit folder) must be
 * a regular file: a symlink would bring in another repository's object, a FIFO or device would
 * block git. readdir's file types (d_type) make this a listing per folder, not a stat per object.
 */
async function checkLooseObjects(store: string, shown: Shown, signal?: AbortSignal): Promise<void> {
  const folders = await readdir(store, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [];
    throw err;
  });
  for (const folder of folders) {
    if (!/^[0-9a-f]{2}$/i.test(folder.name)) continue;
    signal?.throwIfAborted();
    // A symlinked folder was checked (inside the workspace, or refused) by checkEntries; its objects are read here through it.
    const dir = path.join(store, folder.name);
    const objects = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [];
      throw err;
    });
    for (const object of objects) {
      if (object.isFile()) continue;
      const entry = path.join(dir, object.name);
      if (object.isSymbolicLink()) throw new RepositoryRefused(`${shown(entry)} is a symlink where git expects a loose object; git would read another repository's object through it`);
      const kind = nonFileKind(object as unknown as Stats);
      throw new RepositoryRefused(`${shown(entry)} is ${kind}, not a regular file, where git expects a loose object; git would wait on it or fail`);
    }
  }
}

/**
 * Walks `dir` `depth` levels down with lstat: a symlink must resolve inside the workspace, and
 * nothing may be a FIFO or a device. Sockets are left alone: opening one fails at once, and git's
 * own fsmonitor daemon keeps one in the git directory. A missing `dir` is fine. Symlinked folders
 * are walked too, as git follows them, each once: a link back up would otherwise loop forever.
 */
async function checkEntries(dir: string, depth: number, inside: Inside, shown: Shown, walked = new Set<string>(), budget?: { left: number; signal?: AbortSignal }): Promise<void> {
  const entries = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return [];
    throw err;
  });
  if (budget) {
    budget.signal?.throwIfAborted();
    budget.left -= entries.length;
    // A refs folder this large or deep is not git's (a symlink into the workspace, say): refused rather than walked.
    if (budget.left < 0) throw new RepositoryRefused(`${shown(dir)} holds more entries than git's refs would; it is not walked, and the repository not read`);
  }
  for (const name of entries) {
    const entry = path.join(dir, name);
    const target = await followed(entry, inside, shown);
    if (!target) continue;
    if (target.isFIFO() || target.isCharacterDevice() || target.isBlockDevice()) {
      throw new RepositoryRefused(`${shown(entry)} is ${nonFileKind(target)}, not a regular file; git would wait on it`);
    }
    if (!target.isDirectory()) continue;
    if (depth <= 1) {
      // Refs nested deeper than any real ref (a symlink back up the workspace, say) refuse the repository: git would read them.
      if (budget) throw new RepositoryRefused(`${shown(entry)} nests refs deeper than this tool walks; the repository is not read`);
      continue;
    }
    const real = await realpath(entry);
    if (walked.has(real)) continue;
    walked.add(real);
    await checkEntries(entry, depth - 1, inside, shown, walked, budget);
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

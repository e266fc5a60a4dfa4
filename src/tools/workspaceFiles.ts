import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { isWithin } from '../security/confinement';
import { mapBounded } from './mapBounded';

/** A path argument with any of these is a glob; without, it names one file. */
export const GLOB_CHARS = /[*?[\]{}]/;
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];
/** realpath calls in flight: enough to overlap them, few enough not to flood libuv's pool. */
const REALPATHS_AT_ONCE = 16;

/** What every tool that scans the workspace honours: globs never searched besides node_modules and .git (VS Code passes the user's files.exclude). */
export interface WorkspaceScanSettings {
  exclude?: readonly string[];
}

export interface WorkspaceFile {
  real: string;
  relative: string;
}

/**
 * Regular files under the workspace roots matching the globs, sorted by path, each confirmed
 * (after symlinks) to lie inside its root. `onlyFiles` leaves out folders, FIFOs, sockets and
 * devices whatever their names (tinyglobby goes by each entry's type, without opening it), and
 * without `followSymbolicLinks` links are left out too: nothing a glob finds can block a read.
 */
export async function findWorkspaceFiles(roots: readonly string[], patterns: readonly string[], exclude: readonly string[] = []): Promise<WorkspaceFile[]> {
  for (const p of patterns) {
    if (path.isAbsolute(p) || p.split(/[\\/]/).includes('..')) {
      throw new Error(`The glob "${p}" must be workspace-relative and must not contain "..".`);
    }
  }
  const found: WorkspaceFile[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    const realRoot = await realpath(root);
    const matches = await glob([...patterns], { cwd: realRoot, ignore: [...ALWAYS_IGNORED, ...exclude], onlyFiles: true, absolute: true, followSymbolicLinks: false, dot: true });
    // A file removed since the glob saw it has no real path.
    const reals = await mapBounded(matches, REALPATHS_AT_ONCE, (match) => realpath(match).catch(() => undefined));
    matches.forEach((match, i) => {
      const real = reals[i];
      if (!real || !isWithin(realRoot, real) || seen.has(real)) return;
      seen.add(real);
      found.push({ real, relative: path.relative(realRoot, match).split(path.sep).join('/') });
    });
  }
  return found.sort((a, b) => a.relative.localeCompare(b.relative));
}

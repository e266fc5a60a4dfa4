import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { isWithin } from '../security/confinement';

const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];

/** Files under the workspace roots matching the globs, sorted by path, each confirmed (after symlinks) to lie inside its root. */
export async function findWorkspaceFiles(roots: readonly string[], patterns: readonly string[], exclude: readonly string[] = []): Promise<{ real: string; relative: string }[]> {
  for (const p of patterns) {
    if (path.isAbsolute(p) || p.split(/[\\/]/).includes('..')) {
      throw new Error(`The glob "${p}" must be workspace-relative and must not contain "..".`);
    }
  }
  const found: { real: string; relative: string }[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    const realRoot = await realpath(root);
    const matches = await glob([...patterns], { cwd: realRoot, ignore: [...ALWAYS_IGNORED, ...exclude], onlyFiles: true, absolute: true, followSymbolicLinks: false, dot: true });
    for (const match of matches) {
      const real = await realpath(match).catch(() => undefined);
      if (!real || !isWithin(realRoot, real) || seen.has(real)) continue;
      seen.add(real);
      found.push({ real, relative: path.relative(realRoot, match).split(path.sep).join('/') });
    }
  }
  return found.sort((a, b) => a.relative.localeCompare(b.relative));
}


import { realpath } from 'node:fs/promises';
import path from 'node:path';

export class OutsideWorkspaceError extends Error {}

/** True when `child` is `parent` or lies beneath it (both absolute, normalised). */
export function isWithin(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves a path argument from the model to a real path inside one of the workspace roots.
 * Relative paths are tried against each root in turn; symlinks are followed before the check,
 * so a link pointing out of the workspace is refused like `../../etc/passwd` is.
 */
export async function resolveInWorkspace(roots: readonly string[], requested: string): Promise<{ real: string; root: string; relative: string }> {
  if (requested.includes('\0')) throw new OutsideWorkspaceError('The path contains a NUL byte.');
  const realRoots = await Promise.all(roots.map((root) => realpath(root)));
  const candidates = path.isAbsolute(requested) ? [requested] : realRoots.map((root) => path.resolve(root, requested));
  let missing = false;
  for (const candidate of candidates) {
    let real: string;
    try {
      real = await realpath(candidate);
    } catch {
      missing = true;
      continue;
    }
    const root = realRoots.find((r) => isWithin(r, real));
    if (!root) {
      throw new OutsideWorkspaceError(
        `Refused: "${requested}" resolves outside the workspace. Only files inside the workspace folders can be read; use a workspace-relative path from list_log_files.`,
      );
    }
    return { real, root, relative: path.relative(root, real).split(path.sep).join('/') };
  }
  throw new Error(missing ? `No such file in the workspace: "${requested}". Use list_log_files to see the available files.` : `No workspace folder is open.`);
}

import { open } from 'node:fs/promises';
import { resolveInWorkspace } from '../../security/confinement';
import { DEFAULT_LOG_GLOBS } from './listLogFiles';
import { findWorkspaceFiles } from '../workspaceFiles';
import { isGzip } from './lineReader';
import type { LogToolSettings } from '../registry';

export interface LogTarget {
  real: string;
  relative: string;
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * The files a search reads: the given paths (confined to the workspace) and globs, or every
 * log file. Binary files are left out with a note rather than read as text.
 */
export async function resolveLogTargets(roots: readonly string[], files: readonly string[] | undefined, settings: LogToolSettings = {}): Promise<{ targets: LogTarget[]; notes: string[] }> {
  const candidates: LogTarget[] = [];
  if (!files?.length) candidates.push(...(await findWorkspaceFiles(roots, settings.globs ?? DEFAULT_LOG_GLOBS, settings.exclude)));
  for (const file of files ?? []) {
    if (GLOB_CHARS.test(file)) {
      const found = await findWorkspaceFiles(roots, [file], settings.exclude);
      if (found.length === 0) throw new Error(`No files match "${file}". Use list_log_files to see the available files.`);
      candidates.push(...found);
    } else {
      const { real, relative } = await resolveInWorkspace(roots, file);
      candidates.push({ real, relative });
    }
  }
  const seen = new Set<string>();
  const targets: LogTarget[] = [];
  const notes: string[] = [];
  for (const c of candidates) {
    if (seen.has(c.real)) continue;
    seen.add(c.real);
    if (await looksBinary(c.real)) notes.push(`[skipped ${c.relative}: binary file, not text]`);
    else targets.push(c);
  }
  return { targets, notes };
}

/** NUL bytes in the first 8 KiB of a file that is not gzip: an executable, an image, a core dump. */
export async function looksBinary(file: string): Promise<boolean> {
  if (await isGzip(file)) return false;
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return head.subarray(0, bytesRead).includes(0);
  } finally {
    await handle.close();
  }
}

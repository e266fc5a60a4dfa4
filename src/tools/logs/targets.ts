import { open, stat } from 'node:fs/promises';
import { resolveInWorkspace } from '../../security/confinement';
import { DEFAULT_LOG_GLOBS } from './listLogFiles';
import { findWorkspaceFiles } from '../workspaceFiles';
import type { LogToolSettings } from '../registry';

export interface LogTarget {
  real: string;
  relative: string;
  gzip: boolean;
  /** For inferring the year of timestamps that have none. */
  mtimeMs: number;
}

const GLOB_CHARS = /[*?[\]{}]/;

/**
 * The files a search reads: the given paths (confined to the workspace) and globs, or every
 * log file. Binary files are left out with a note rather than read as text.
 */
export async function resolveLogTargets(roots: readonly string[], files: readonly string[] | undefined, settings: LogToolSettings = {}): Promise<{ targets: LogTarget[]; notes: string[] }> {
  const candidates: { real: string; relative: string }[] = [];
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
    const { gzip, binary } = await sniff(c.real);
    if (binary) notes.push(`[skipped ${c.relative}: binary file, not text]`);
    else targets.push({ ...c, gzip, mtimeMs: (await stat(c.real)).mtimeMs });
  }
  return { targets, notes };
}

/**
 * One read of the first 8 KiB: gzip by its magic bytes; binary (an executable, an image, a core
 * dump) by a NUL byte in a file that is not gzip.
 */
async function sniff(file: string): Promise<{ gzip: boolean; binary: boolean }> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(8192);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const gzip = bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b;
    return { gzip, binary: !gzip && head.subarray(0, bytesRead).includes(0) };
  } finally {
    await handle.close();
  }
}

import { resolveInWorkspace } from '../../security/confinement';
import { DEFAULTS } from '../../shared/settings';
import { GLOB_CHARS, findWorkspaceFiles, type WorkspaceFile } from '../workspaceFiles';
import { mapBounded } from '../mapBounded';
import { NotAFileError, withRegularFile } from '../regularFile';
import type { LogToolSettings } from './settings';
import { readHead, sniffContent } from './sniff';

export interface LogTarget {
  real: string;
  relative: string;
  gzip: boolean;
  /** For inferring the year of timestamps that have none. */
  mtimeMs: number;
}

/** Files sniffed at once: a search over thousands of small files should not sniff them one by one. */
const SNIFFS_AT_ONCE = 16;

/**
 * The files a search reads: the given paths (confined to the workspace) and globs, or every
 * log file. Binary files, and named folders, FIFOs, sockets and devices, are left out with a
 * note rather than read (globs never find the last four: see findWorkspaceFiles).
 */
export async function resolveLogTargets(roots: readonly string[], files: readonly string[] | undefined, settings: LogToolSettings = {}): Promise<{ targets: LogTarget[]; notes: string[] }> {
  const candidates: WorkspaceFile[] = [];
  if (!files?.length) candidates.push(...(await findWorkspaceFiles(roots, settings.globs ?? DEFAULTS.logGlobs, settings.exclude)));
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
  const unique = candidates.filter((c) => {
    if (seen.has(c.real)) return false;
    seen.add(c.real);
    return true;
  });
  const sniffed = await mapBounded(unique, SNIFFS_AT_ONCE, sniff);
  const targets: LogTarget[] = [];
  const notes: string[] = [];
  unique.forEach((c, i) => {
    const found = sniffed[i]!;
    if ('skip' in found) notes.push(`[skipped ${c.relative}: ${found.skip}]`);
    else targets.push({ ...c, ...found });
  });
  return { targets, notes };
}

/** One read of the first 8 KiB, to tell gzip, binary and text apart. Never opens anything but a regular file. */
async function sniff(file: WorkspaceFile): Promise<{ gzip: boolean; mtimeMs: number } | { skip: string }> {
  try {
    return await withRegularFile(file.real, file.relative, async (handle, stats) => {
      const kind = sniffContent(await readHead(handle, 8192));
      if (kind === 'binary') return { skip: 'binary file, not text' };
      return { gzip: kind === 'gzip', mtimeMs: stats.mtimeMs };
    });
  } catch (err) {
    if (!(err instanceof NotAFileError)) throw err;
    return { skip: notALogFile(err.kind) };
  }
}

/** Why a named path that is not a file is not read, and what to do instead. */
function notALogFile(kind: string): string {
  return kind === 'a folder' ? 'a folder, not a log file; use list_log_files to see the log files in it' : `${kind}, not a log file`;
}

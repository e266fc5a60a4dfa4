import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';

/** A path the tools must not read as a file: a folder, a FIFO, a socket or a device. */
export class NotAFileError extends Error {
  constructor(
    /** The path as the model knows it. */
    readonly shownAs: string,
    /** What it is instead, e.g. "a folder" or "a FIFO (named pipe)". */
    readonly kind: string,
  ) {
    super(`${shownAs} is ${kind}, not a regular file.`);
  }
}

/** What a path is when it is not a regular file, in words; undefined for a regular file. */
export function nonFileKind(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'a special file';
}

/**
 * Opening a FIFO for reading waits for a writer, and Node waits on one of libuv's four pool
 * threads: a FIFO named like a log used to hold a tool until its timeout and then keep the
 * process from ever exiting. O_NONBLOCK makes that open return at once (regular files ignore the
 * flag); Windows has no such files and no such flag.
 */
const READ_WITHOUT_WAITING = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Opens a regular file for reading, refusing anything else with a NotAFileError. The path is
 * checked with stat before any open, for a clear message; the opened handle is checked again,
 * so a FIFO swapped in between cannot block either.
 */
export async function openRegularFile(file: string, shownAs = file): Promise<{ handle: FileHandle; stats: Stats }> {
  const before = nonFileKind(await stat(file));
  if (before) throw new NotAFileError(shownAs, before);
  const handle = await open(file, READ_WITHOUT_WAITING);
  try {
    const stats = await handle.stat();
    const kind = nonFileKind(stats);
    if (kind) throw new NotAFileError(shownAs, kind);
    return { handle, stats };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Runs `use` on a regular file opened as openRegularFile does, and closes it afterwards. */
export async function withRegularFile<T>(file: string, shownAs: string, use: (handle: FileHandle, stats: Stats) => Promise<T>): Promise<T> {
  const { handle, stats } = await openRegularFile(file, shownAs);
  try {
    return await use(handle, stats);
  } finally {
    await handle.close();
  }
}

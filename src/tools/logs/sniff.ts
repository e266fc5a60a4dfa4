import type { FileHandle } from 'node:fs/promises';

/** The two bytes every gzip member starts with (RFC 1952), whatever the file is named. */
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

export type ContentKind = 'gzip' | 'binary' | 'text';

/**
 * What the first bytes of a file say it holds: gzip by its magic bytes (a rotated log is often
 * gzipped without a .gz name); binary (an executable, an image, a core dump) by a NUL byte, which
 * no text log holds, in a file that is not gzip; otherwise text.
 */
export function sniffContent(head: Buffer): ContentKind {
  if (head.length >= GZIP_MAGIC.length && head.subarray(0, GZIP_MAGIC.length).equals(GZIP_MAGIC)) return 'gzip';
  return head.includes(0) ? 'binary' : 'text';
}

/** Up to `bytes` from the start of an open file: fewer when the file is shorter. */
export async function readHead(handle: FileHandle, bytes: number): Promise<Buffer> {
  const head = Buffer.alloc(bytes);
  const { bytesRead } = await handle.read(head, 0, bytes, 0);
  return head.subarray(0, bytesRead);
}

/** The two bytes every gzip member starts with (RFC 1952), whatever the file is named. */
const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

/** Whether bytes read from the start of a file are gzip: a rotated log is often gzipped without a .gz name. */
export function isGzip(head: Buffer): boolean {
  return head.length >= GZIP_MAGIC.length && head.subarray(0, GZIP_MAGIC.length).equals(GZIP_MAGIC);
}

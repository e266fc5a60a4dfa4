/** Bytes one evidence check may read in all, whatever the report cites: a bound on a report citing many huge files. */
export const REPORT_READ_LIMIT_BYTES = 8 * 2 ** 30;

export class ReadLimitError extends Error {
  constructor(limit: number) {
    super(`the evidence check stopped at its limit of ${formatBytes(limit)} read for one report`);
  }
}

/**
 * Counts what one evidence check reads: bytes from plain files, and bytes decompressed from gzip
 * files (which cost the same work). Every read goes through `take`, so the count is what the
 * benchmark and the tests report, and the limit holds for the whole report.
 */
export class ReadMeter {
  bytes = 0;

  constructor(
    readonly limit: number,
    private readonly signal?: AbortSignal,
  ) {}

  /** Before a read: cancellation and the report's limit stop it here. */
  check(): void {
    this.signal?.throwIfAborted();
    if (this.bytes >= this.limit) throw new ReadLimitError(this.limit);
  }

  take(bytes: number): void {
    this.bytes += bytes;
  }
}

/** "512 KiB", "1.5 GiB": sizes in reasons and benchmark output. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${Number(value.toPrecision(3))} ${units[unit]}`;
}

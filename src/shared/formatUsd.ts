// The one way a dollar amount is shown: CLI, status bar, Runs view, panel and Cost view. Pure and
// import-free so the webviews can bundle it without pulling in the price database.

/**
 * "$0", "$0.0042", "$0.042", "$4.200", "$42.00" — or "unknown": a missing price (`null` or
 * `undefined`, as the engine reports it) is never shown as $0. Four decimals below a cent so that
 * one cached call is not rounded away, two from $10 where cents are enough. A negative amount
 * (caching that has not paid off yet) keeps the same precision, with the sign before the "$".
 */
export function formatUsd(usd: number | null | undefined): string {
  if (usd === null || usd === undefined || !Number.isFinite(usd)) return 'unknown';
  if (usd === 0) return '$0';
  const size = Math.abs(usd);
  const digits = size < 0.01 ? size.toFixed(4) : size < 10 ? size.toFixed(3) : size.toFixed(2);
  return `${usd < 0 ? '-' : ''}$${digits}`;
}

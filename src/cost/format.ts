// Formatting only: kept apart from prices.ts so that showing a cost does not load the price database.

/** What caching did to the bill, in words: writes cost more than plain input until they are read. */
export function describeSavings(savedUsd: number | undefined): string {
  if (savedUsd === undefined) return 'savings unknown';
  return savedUsd >= 0 ? `${formatUsd(savedUsd)} saved by caching` : `caching added ${formatUsd(-savedUsd)} (cache writes not yet read back)`;
}

/** "$0.0421", or "unknown" — a missing price is never shown as $0. */
export function formatUsd(usd: number | undefined): string {
  if (usd === undefined) return 'unknown';
  if (usd === 0) return '$0';
  return usd < 0.01 ? `$${usd.toFixed(4)}` : usd < 10 ? `$${usd.toFixed(3)}` : `$${usd.toFixed(2)}`;
}

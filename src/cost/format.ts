// Formatting only: kept apart from prices.ts so that showing a cost does not load the price database.
import { formatUsd } from '../shared/formatUsd';

// Re-exported so the engine and the CLI keep one import for cost wording; the rules live in shared/.
export { formatUsd };

/** What caching did to the bill, in words: writes cost more than plain input until they are read. */
export function describeSavings(savedUsd: number | undefined): string {
  if (savedUsd === undefined) return 'savings unknown';
  return savedUsd >= 0 ? `${formatUsd(savedUsd)} saved by caching` : `caching added ${formatUsd(-savedUsd)} (cache writes not yet read back)`;
}

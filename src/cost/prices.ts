import { calcPrice } from '@pydantic/genai-prices';
import type { CallUsage } from '../shared/events';
import type { PriceOverrides } from '../shared/pricing';

export type { PriceOverride, PriceOverrides } from '../shared/pricing';

export interface CallCost {
  /** Dollars; undefined when no price is known for the model (never shown as $0). */
  usd: number | undefined;
  /** The same tokens as if nothing had been cached: what caching saved is the difference. */
  uncachedUsd: number | undefined;
  /** The price entry used: genai-prices may price a new model by its family (sonnet-5-5 as sonnet-5). */
  pricedAs?: string;
}

const M = 1_000_000;

/**
 * Prices one API call from its usage. Overrides win; otherwise the maintained genai-prices
 * database (with its long-context tiers, which apply to the whole request above a threshold of
 * total input tokens). A model neither knows has no price (`usd` undefined).
 */
export function priceCall(model: string, usage: CallUsage, overrides: PriceOverrides = {}): CallCost {
  const totalInput = usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
  const override = overrides[model];
  if (override) {
    const w5 = override.cacheWrite5m ?? override.input * 1.25;
    const w1 = override.cacheWrite1h ?? override.input * 2;
    const read = override.cacheRead ?? override.input * 0.1;
    const usd =
      (usage.inputTokens * override.input + usage.cacheCreation5mInputTokens * w5 + usage.cacheCreation1hInputTokens * w1 + usage.cacheReadInputTokens * read + usage.outputTokens * override.output) /
      M;
    return { usd, uncachedUsd: (totalInput * override.input + usage.outputTokens * override.output) / M, pricedAs: model };
  }
  const priced = genaiPrice(model, {
    input_tokens: totalInput,
    cache_write_tokens: usage.cacheCreationInputTokens,
    cache_write_1h_tokens: usage.cacheCreation1hInputTokens,
    cache_read_tokens: usage.cacheReadInputTokens,
    output_tokens: usage.outputTokens,
  });
  if (!priced) return { usd: undefined, uncachedUsd: undefined };
  const uncached = genaiPrice(model, { input_tokens: totalInput, output_tokens: usage.outputTokens });
  return { usd: priced.usd, uncachedUsd: uncached?.usd, pricedAs: priced.pricedAs };
}

function genaiPrice(model: string, usage: Record<string, number>): { usd: number; pricedAs: string } | undefined {
  try {
    const result = calcPrice(usage, model, { providerId: 'anthropic' });
    return result ? { usd: result.total_price, pricedAs: result.model.id } : undefined;
  } catch {
    // genai-prices rejects usage it cannot price (e.g. a unit the model has no rate for)
    return undefined;
  }
}

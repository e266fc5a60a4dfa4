import assert from 'node:assert/strict';
import { priceCall } from '../../../src/cost/prices';
import { formatUsd } from '../../../src/cost/format';
import type { CallUsage } from '../../../src/shared/events';

const usage = (u: Partial<CallUsage>): CallUsage => {
  const full = { inputTokens: 0, cacheCreationInputTokens: 0, cacheCreation5mInputTokens: 0, cacheCreation1hInputTokens: 0, cacheReadInputTokens: 0, outputTokens: 0, ...u };
  full.cacheCreationInputTokens = full.cacheCreation5mInputTokens + full.cacheCreation1hInputTokens;
  return full;
};
const close = (a: number | undefined, b: number) => assert.ok(a !== undefined && Math.abs(a - b) < 1e-9, `${a} ≠ ${b}`);

// Claude Sonnet 4.5 list prices, $/MTok: input 3, 5-min write 3.75, 1-h write 6, read 0.30, output 15;
// above 200k input tokens per request: 6, 7.50, 12, 0.60, 22.50.
describe('pricing API calls from their usage', () => {
  it('prices uncached input, 5-minute writes, reads and output', () => {
    const cost = priceCall('claude-sonnet-4-5', usage({ inputTokens: 1000, cacheCreation5mInputTokens: 2000, cacheReadInputTokens: 10_000, outputTokens: 500 }));
    close(cost.usd, (1000 * 3 + 2000 * 3.75 + 10_000 * 0.3 + 500 * 15) / 1e6);
    close(cost.uncachedUsd, (13_000 * 3 + 500 * 15) / 1e6);
    assert.equal(cost.pricedAs, 'claude-sonnet-4-5');
  });

  it('prices 1-hour cache writes at twice the input price', () => {
    close(priceCall('claude-sonnet-4-5', usage({ cacheCreation1hInputTokens: 1000 })).usd, (1000 * 6) / 1e6);
    close(priceCall('claude-sonnet-4-5', usage({ cacheCreation5mInputTokens: 1000, cacheCreation1hInputTokens: 1000 })).usd, (1000 * 3.75 + 1000 * 6) / 1e6);
  });

  it('applies the long-context tier to the whole request above 200k input tokens', () => {
    const cost = priceCall('claude-sonnet-4-5', usage({ inputTokens: 100_000, cacheCreation5mInputTokens: 100_000, cacheReadInputTokens: 100_000, outputTokens: 1000 }));
    close(cost.usd, (100_000 * 6 + 100_000 * 7.5 + 100_000 * 0.6 + 1000 * 22.5) / 1e6);
  });

  it('shows an unknown model as unknown, never $0', () => {
    const cost = priceCall('claude-unreleased-9', usage({ inputTokens: 1000, outputTokens: 10 }));
    assert.equal(cost.usd, undefined);
    assert.equal(cost.uncachedUsd, undefined);
    assert.equal(cost.pricedAs, undefined);
    assert.equal(formatUsd(cost.usd), 'unknown');
  });

  it('uses an override, with Anthropic multipliers for cache rates it does not give', () => {
    const cost = priceCall('claude-unreleased-9', usage({ inputTokens: 1000, cacheCreation5mInputTokens: 1000, cacheCreation1hInputTokens: 1000, cacheReadInputTokens: 1000, outputTokens: 1000 }), {
      'claude-unreleased-9': { input: 2, output: 8 },
    });
    close(cost.usd, (1000 * 2 + 1000 * 2.5 + 1000 * 4 + 1000 * 0.2 + 1000 * 8) / 1e6);
    assert.equal(cost.pricedAs, 'claude-unreleased-9');
  });

  it('lets an override win over genai-prices for a model both know', () => {
    const cost = priceCall('claude-sonnet-4-5', usage({ inputTokens: 1000, outputTokens: 1000 }), { 'claude-sonnet-4-5': { input: 1, output: 2 } });
    close(cost.usd, (1000 * 1 + 1000 * 2) / 1e6);
    assert.equal(cost.pricedAs, 'claude-sonnet-4-5');
  });

  it('says which price entry it used when genai-prices prices a model by its family', () => {
    const cost = priceCall('claude-sonnet-5-5', usage({ inputTokens: 1000 }));
    assert.equal(cost.pricedAs, 'claude-sonnet-5');
  });
});

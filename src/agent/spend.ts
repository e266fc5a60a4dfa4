import type { CallUsage } from '../shared/events';
import type { CacheTtl, RunBudget } from '../shared/settings';
import type { PriceOverrides } from '../shared/pricing';
import { priceCall, type CallCost } from '../cost/prices';
import { formatUsd } from '../cost/format';
import type { Transcript } from './transcript';

/** Conservative characters per token for estimating the input of the next request. */
const CHARS_PER_TOKEN_ESTIMATE = 3;

/**
 * What a run has spent (from the API's usage) and whether its next request could overshoot the
 * budget. `usd` becomes null, and stays null, once a call's price is unknown.
 */
export class Spend {
  usd: number | null = 0;
  tokens = 0;
  /** Total input tokens of the last call and the transcript length it covered: the base of the next estimate. */
  private lastInput = { tokens: 0, messages: 0 };

  constructor(
    private readonly budget: RunBudget | undefined,
    private readonly pricing: PriceOverrides | undefined,
    private readonly cacheTtl: CacheTtl,
    /** Characters of the fixed prefix (system prompt and tools): the estimate before any call reported usage. */
    private readonly prefixChars: number,
  ) {}

  record(usage: CallUsage, cost: CallCost, transcriptLength: number): void {
    const input = usage.inputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
    this.lastInput = { tokens: input, messages: transcriptLength };
    this.tokens += input + usage.outputTokens;
    this.usd = this.usd === null || cost.usd === undefined ? null : this.usd + cost.usd;
  }

  /** What of the budget the next request would overshoot, or undefined when it fits. */
  overBudget(model: string, maxTokens: number, transcript: Transcript): string | undefined {
    const budget = this.budget;
    if (!budget) return undefined;
    const worst = this.worstCase(model, maxTokens, transcript.since(this.lastInput.messages));
    if (budget.maxTokens !== undefined && this.tokens + worst.tokens > budget.maxTokens) {
      return `token budget of ${budget.maxTokens.toLocaleString('en-US')} (spent ${this.tokens.toLocaleString('en-US')})`;
    }
    if (budget.maxUsd !== undefined && this.usd !== null && worst.usd !== undefined && this.usd + worst.usd > budget.maxUsd) {
      return `budget of ${formatUsd(budget.maxUsd)} (spent ${formatUsd(this.usd)})`;
    }
    return undefined;
  }

  /**
   * The most the next request could cost: its input estimated from the last call's input plus
   * what was added since (all of it priced as a cache write, the dearest way to send input), and
   * the full `maxTokens` of output.
   */
  private worstCase(model: string, maxTokens: number, added: readonly unknown[]): { usd: number | undefined; tokens: number } {
    const base = this.lastInput.tokens || Math.ceil(this.prefixChars / CHARS_PER_TOKEN_ESTIMATE);
    const input = base + Math.ceil(JSON.stringify(added).length / CHARS_PER_TOKEN_ESTIMATE);
    const ttl = this.cacheTtl;
    const usage: CallUsage = {
      inputTokens: ttl === 'off' ? input : 0,
      cacheCreationInputTokens: ttl === 'off' ? 0 : input,
      cacheCreation5mInputTokens: ttl === '5m' ? input : 0,
      cacheCreation1hInputTokens: ttl === '1h' ? input : 0,
      cacheReadInputTokens: 0,
      outputTokens: maxTokens,
    };
    return { usd: priceCall(model, usage, this.pricing).usd, tokens: input + maxTokens };
  }
}

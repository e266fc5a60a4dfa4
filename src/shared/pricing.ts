import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini, like the webview protocols: the VS Code settings reader validates with it in the
// activation bundle, which full zod would double. English messages, so an error says what is
// wrong — the one locale imported by its own path, since `z.locales.en` bundles all of them.
z.config(en());

const perMTok = z.number().check(z.nonnegative());

/**
 * A user's own prices, in dollars per million tokens, by model id (`incidentTriage.pricing`,
 * `--pricing FILE`). Cache prices default to Anthropic's multipliers of the input price:
 * 1.25× (5 min write), 2× (1 h write), 0.1× (read).
 */
export const priceOverridesSchema = z.record(
  z.string(),
  z.strictObject({ input: perMTok, output: perMTok, cacheWrite5m: z.optional(perMTok), cacheWrite1h: z.optional(perMTok), cacheRead: z.optional(perMTok) }),
);
export type PriceOverrides = Readonly<z.infer<typeof priceOverridesSchema>>;
export type PriceOverride = PriceOverrides[string];

export const PRICING_EXAMPLE = '{"model-id": {"input": 3, "output": 15}} in dollars per million tokens';

/** The overrides, or what is wrong with them in words a user can act on. */
export function parsePriceOverrides(raw: unknown): { ok: true; value: PriceOverrides } | { ok: false; problem: string } {
  const parsed = priceOverridesSchema.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: `${z.prettifyError(parsed.error)}\nExpected ${PRICING_EXAMPLE}.` };
}

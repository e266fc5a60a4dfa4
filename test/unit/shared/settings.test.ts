import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CACHE_TTLS, DEFAULTS, LIMITS } from '../../../src/shared/settings';
import { parsePriceOverrides } from '../../../src/shared/pricing';
import { USAGE } from '../../../src/cli/args';

interface Declared {
  default?: unknown;
  minimum?: number;
  maximum?: number;
  enum?: unknown[];
}
const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, Declared> } } };
const declared = (key: string): Declared => {
  const found = manifest.contributes.configuration.properties[`incidentTriage.${key}`];
  assert.ok(found, `package.json declares incidentTriage.${key}`);
  return found;
};

describe('settings: every default defined once', () => {
  it("package.json's defaults are the engine's", () => {
    for (const key of ['model', 'maxSteps', 'thinking', 'thinkingBudgetTokens', 'cacheTtl', 'toolTimeoutSeconds'] as const) {
      assert.deepEqual(declared(key).default, DEFAULTS[key], `incidentTriage.${key}`);
    }
    assert.deepEqual(declared('cacheTtl').enum, [...CACHE_TTLS]);
  });

  it("package.json's bounds are the CLI's", () => {
    for (const key of ['maxSteps', 'toolTimeoutSeconds'] as const) {
      assert.deepEqual([declared(key).minimum, declared(key).maximum], [...LIMITS[key]], `incidentTriage.${key}`);
    }
    assert.equal(declared('thinkingBudgetTokens').minimum, LIMITS.thinkingBudgetTokens[0]);
  });

  it("the CLI's usage text states the same defaults and bounds", () => {
    assert.match(USAGE, new RegExp(`--model ID .*default: ${DEFAULTS.model}\\)`));
    assert.match(USAGE, new RegExp(`--max-steps N .*\\(${LIMITS.maxSteps.join('-')}, default ${DEFAULTS.maxSteps}\\)`));
    assert.match(USAGE, new RegExp(`--tool-timeout S .*\\(${LIMITS.toolTimeoutSeconds.join('-')}, default ${DEFAULTS.toolTimeoutSeconds}\\)`));
    assert.match(USAGE, new RegExp(`\\(${LIMITS.streamTimeoutSeconds.join('-')}, default ${DEFAULTS.streamTimeoutSeconds}\\)`));
  });
});

describe('price overrides: one schema for the CLI file and the VS Code setting', () => {
  it('accepts prices per million tokens, with optional cache prices', () => {
    const parsed = parsePriceOverrides({ 'claude-x': { input: 3, output: 15 }, 'claude-y': { input: 1, output: 2, cacheRead: 0.1, cacheWrite5m: 1.25, cacheWrite1h: 2 } });
    assert.ok(parsed.ok);
    assert.equal(parsed.value['claude-y']!.cacheRead, 0.1);
  });

  const bad: [string, unknown, RegExp][] = [
    ['a negative price', { m: { input: -1, output: 15 } }, /expected number to be >=0[\s\S]*at m\.input/],
    ['a missing output price', { m: { input: 3 } }, /at m\.output/],
    ['a misspelt key', { m: { input: 3, output: 15, cache_read: 1 } }, /Unrecognized key: "cache_read"/],
    ['a price as text', { m: { input: '3', output: 15 } }, /expected number/],
    ['not an object', [1, 2], /expected record/],
  ];
  for (const [name, raw, message] of bad) {
    it(`refuses ${name}, saying where and what shape is expected`, () => {
      const parsed = parsePriceOverrides(raw);
      assert.ok(!parsed.ok);
      assert.match(parsed.problem, message);
      assert.match(parsed.problem, /Expected \{"model-id": \{"input": 3, "output": 15\}\} in dollars per million tokens/);
    });
  }
});

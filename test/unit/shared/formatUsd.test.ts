import assert from 'node:assert/strict';
import { formatUsd } from '../../../src/shared/formatUsd';

describe('formatUsd', () => {
  it('never shows a missing price as $0', () => {
    for (const missing of [undefined, null, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(formatUsd(missing), 'unknown', String(missing));
  });

  it('shows a known zero as $0, without decimals', () => {
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(-0), '$0');
  });

  it('keeps four decimals below a cent, three below $10 and two from $10', () => {
    assert.equal(formatUsd(0.00042), '$0.0004');
    assert.equal(formatUsd(0.0042), '$0.0042');
    assert.equal(formatUsd(0.01), '$0.010');
    assert.equal(formatUsd(0.0421), '$0.042');
    assert.equal(formatUsd(4.2), '$4.200');
    assert.equal(formatUsd(10), '$10.00');
    assert.equal(formatUsd(1234.5), '$1234.50');
  });

  it('puts the sign of a negative amount before the $ and keeps the precision of its size', () => {
    assert.equal(formatUsd(-0.0042), '-$0.0042');
    assert.equal(formatUsd(-0.5), '-$0.500');
    assert.equal(formatUsd(-12), '-$12.00');
  });
});

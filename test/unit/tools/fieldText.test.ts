import assert from 'node:assert/strict';
import { fieldText } from '../../../src/tools/fieldText';

describe('fieldText: a field of a workspace file as text', () => {
  it('keeps strings, numbers and booleans; shows objects as JSON, never "[object Object]"', () => {
    assert.equal(fieldText('v4.12.0'), 'v4.12.0');
    assert.equal(fieldText(412), '412');
    assert.equal(fieldText(false), 'false');
    assert.equal(fieldText({ major: 4, minor: 12 }), '{"major":4,"minor":12}');
    assert.equal(fieldText(['a', 'b']), '["a","b"]');
  });

  it('uses the fallback for a missing field only', () => {
    assert.equal(fieldText(undefined, '?'), '?');
    assert.equal(fieldText(null, '?'), '?');
    assert.equal(fieldText('', '?'), '');
    assert.equal(fieldText(0, '?'), '0');
  });
});

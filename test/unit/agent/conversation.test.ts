import assert from 'node:assert/strict';
import { messagesOf, toConversation } from '../../../src/agent/conversation';

describe('Conversation: an opaque handle for follow-ups', () => {
  it('hands back the messages it was made from, frozen, to the engine only', () => {
    const messages = [{ role: 'user' as const, content: 'checkout 502s' }];
    const conversation = toConversation(messages);
    assert.deepEqual(Object.keys(conversation), [], 'an adapter sees nothing inside');
    assert.deepEqual(messagesOf(conversation), messages);
    messages.push({ role: 'user', content: 'changed later' });
    assert.equal(messagesOf(conversation).length, 1, 'later edits to the source do not leak in');
    assert.throws(() => (messagesOf(conversation) as unknown[]).push('x'), TypeError);
  });

  it('refuses a look-alike that the engine did not make', () => {
    assert.throws(() => messagesOf({} as never), /Not a conversation of this engine/);
  });
});

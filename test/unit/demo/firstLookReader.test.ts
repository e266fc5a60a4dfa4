import assert from 'node:assert/strict';
import { readingTheFirstLook } from '../../../src/demo/firstLookReader';
import type { ScriptedTurn } from '../../../src/demo/script';
import { wrapToolOutput } from '../../../src/agent/toolOutputBoundary';

const call = (name: string, input: Record<string, unknown> = {}): ScriptedTurn['content'][number] => ({ type: 'tool_use', name, input });
const TURNS: ScriptedTurn[] = [
  { content: [{ type: 'text', text: 'Listing the logs.' }, call('list_log_files')] },
  { content: [call('summarize_log', { file: 'logs/a.log' }), call('summarize_log', { file: 'logs/b.log' }), call('search_logs', { query: 'error' })] },
  { content: [call('summarize_log', { file: 'logs/a.log' })] },
  { content: [call('submit_triage_report', {})] },
];
const FIRST_LOOK = [
  'Looked at 2 log files; times UTC, all on 2026-11-20.',
  'Files (first → last timestamp):',
  '- logs/a.log: 13:55:00Z → 14:20:00Z (100 lines, 4.0 KB)',
  '- logs/b.log: 13:55:00Z → 14:20:00Z (100 lines, 4.0 KB)',
  'First error burst: 6 error lines within 60 s from 14:04:10Z, first at logs/a.log:16 (below)',
].join('\n');

/** The calls each turn makes, as the scenario plays them for a conversation whose first message is `first`. */
function played(first: string): string[][] {
  const scenario = readingTheFirstLook(TURNS);
  const request = { messages: [{ role: 'user', content: [{ type: 'text', text: first }] }] };
  const out: string[][] = [];
  for (let turnIndex = 0; ; turnIndex++) {
    const turn = scenario(request, { turnIndex, requestIndex: turnIndex });
    const calls = turn.content.flatMap((b) => (b.type === 'tool_use' ? [`${b.name}${(b.input as { file?: string }).file ? ` ${(b.input as { file: string }).file}` : ''}`] : []));
    if (calls.length === 0) return out;
    out.push(calls);
  }
}

describe('a recorded model reading the first look', () => {
  it('plays every call as recorded when the first message holds no first look', () => {
    assert.deepEqual(played('Checkout is down.'), [
      ['list_log_files'],
      ['summarize_log logs/a.log', 'summarize_log logs/b.log', 'search_logs'],
      ['summarize_log logs/a.log'],
      ['submit_triage_report'],
    ]);
  });

  it('skips list_log_files and the summary of a file the first look found something in, and the turns left empty', () => {
    const first = `Checkout is down.\n${wrapToolOutput('first_look', FIRST_LOOK, 'ab'.repeat(12))}`;
    assert.deepEqual(played(first), [['summarize_log logs/b.log', 'search_logs'], ['submit_triage_report']]);
  });

  it('does not take a first look outside the tool-output delimiters for one', () => {
    assert.equal(played(`Checkout is down.\n${FIRST_LOOK}`).length, 4);
  });
});

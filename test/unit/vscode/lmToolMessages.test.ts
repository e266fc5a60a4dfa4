import assert from 'node:assert/strict';
import { investigationTools } from '../../../src/engine/toolRegistry';
import { invocationMessage } from '../../../src/vscode/lmToolMessages';

const NOW = Date.parse('2026-11-20T14:40:00Z');

describe("agent mode's invocation messages (what the chat shows a call will read)", () => {
  it('say what each tool will read, with times in UTC: the hour on the same day, the date on another, "ago" for relative bounds', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['search_logs', { query: 'HikariPool', since: '2026-11-20T14:00:00Z' }, 'Searching logs for "HikariPool" since 14:00 UTC'],
      [
        'search_logs',
        { query: 'timeout', levels: ['error', 'fatal'], since: '30m', until: '2026-11-19 23:15', files: ['logs/payments/**', 'logs/api.log'] },
        'Searching logs for "timeout" (error, fatal) since 30m ago until 2026-11-19 23:15 UTC in "logs/payments/**" and 1 more',
      ],
      ['search_logs', { query: 'x', since: '2026-11-20T16:00:00+02:00' }, 'Searching logs for "x" since 14:00 UTC'],
      ['read_log', { file: 'logs/payments/payments.log', around_line: 120 }, 'Reading "logs/payments/payments.log", around line 120'],
      ['read_log', { file: 'logs/api.log', start_line: 10, end_line: 50 }, 'Reading "logs/api.log", lines 10–50'],
      ['summarize_log', { file: 'logs/api.log' }, 'Summarizing "logs/api.log"'],
      ['list_log_files', {}, 'Listing log files'],
      ['list_log_files', { glob: '**/*.jsonl' }, 'Listing log files matching "**/*.jsonl"'],
      ['compare_log_windows', { incident_start: '2026-11-20T14:05:00Z' }, 'Comparing the logs from 14:05 UTC with the window before'],
      [
        'compare_log_windows',
        { incident_start: '1h', incident_end: '10m', baseline_start: '2026-11-19T14:05:00Z', files: ['logs/**'] },
        'Comparing the logs from 1h ago to 10m ago with the window from 2026-11-19 14:05 UTC in "logs/**"',
      ],
      ['query_metrics', { service: 'payments', metric: 'latency_p95', time_range_minutes: 60 }, 'Querying "latency_p95" of "payments" over the last 60 minutes'],
      ['query_metrics', { service: 'payments', metric: 'error_rate', time_range_minutes: 360 }, 'Querying "error_rate" of "payments" over the last 6 hours'],
      ['get_recent_deploys', { since_minutes: 120, service: 'checkout' }, 'Reading commits and deploys mentioning "checkout" over the last 2 hours'],
    ];
    for (const [tool, input, expected] of cases) assert.equal(invocationMessage(tool, input, NOW), expected, `${tool} ${JSON.stringify(input)}`);
  });

  it("keep a model's hostile or wrong arguments to one short line, and show bounds the tool will refuse as given", () => {
    const long = invocationMessage('search_logs', { query: `line one\nline two ${'A'.repeat(200)}` }, NOW);
    assert.ok(!long.includes('\n'), long);
    assert.match(long, /^Searching logs for "line one line two A+…"$/);
    assert.ok(long.length < 100, `${long.length} characters`);
    assert.equal(invocationMessage('search_logs', { query: 'x', since: 'yesterday at noon' }, NOW), 'Searching logs for "x" since "yesterday at noon"');
    // Arguments of the wrong type (the schema refuses them when the call runs) still give a sentence.
    assert.equal(invocationMessage('read_log', { file: 42, around_line: 'twelve' }, NOW), 'Reading a log file');
    assert.equal(invocationMessage('query_metrics', { service: ['a'], metric: 7, time_range_minutes: -5 }, NOW), 'Querying a metric of a service');
    assert.equal(invocationMessage('search_logs', { query: 5, files: [{}] }, NOW), 'Searching logs for a query in the files given');
    assert.equal(invocationMessage('search_logs', { query: 'x', levels: 'error', files: 'logs/**' }, NOW), 'Searching logs for "x"');
  });

  it('have a sentence of their own for every tool lent to agent mode', () => {
    const lent = investigationTools().map((t) => t.name);
    assert.equal(lent.length, 7);
    for (const tool of lent) assert.notEqual(invocationMessage(tool, {}, NOW), `Running ${tool}`, tool);
    assert.equal(invocationMessage('new_tool', {}, NOW), 'Running new_tool');
  });
});

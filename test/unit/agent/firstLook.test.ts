import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { eventsOfType, finished, startHarness, type Harness } from '../../fixtures/harness';
import { scriptedTurns, type ScriptedTurn } from '../../fixtures/anthropic-server/scenario';
import { sampleReport } from '../../fixtures/reports';
import { PLANTED_SECRETS } from '../../fixtures/secrets';
import { previewRequest } from '../../../src/agent/opening';
import { computeFirstLook } from '../../../src/agent/firstLook/firstLook';
import { createToolRegistry } from '../../../src/engine/toolRegistry';

const report: ScriptedTurn = { content: [{ type: 'tool_use', name: 'submit_triage_report', input: sampleReport() }] };
const NOW = new Date('2026-11-20T14:30:00Z');
const at = (minute: number, second = 0) =>
  `2026-11-20T${String(13 + Math.floor((50 + minute) / 60)).padStart(2, '0')}:${String((50 + minute) % 60).padStart(2, '0')}:${String(second).padStart(2, '0')}.000Z`;

/**
 * 13:50 to 14:20: a heartbeat every minute until 13:59, requests all along, a deploy at 14:02,
 * then a new error from 14:04:10 on (a burst), and a steady known warning before and after.
 */
function incidentLog(): string {
  const lines: string[] = [];
  for (let m = 0; m < 30; m++) {
    if (m < 10) lines.push(`${at(m)} INFO heartbeat ok`);
    lines.push(`${at(m, 20)} INFO request served in ${40 + m}ms`);
    lines.push(`${at(m, 40)} WARN cache miss for key user-${m}`);
    if (m === 12) lines.push(`${at(m, 5)} INFO starting payments-service version=2.14.0`);
    if (m >= 14) for (let s = 10; s < 60; s += 10) lines.push(`${at(m, s)} ERROR charge failed: pool exhausted after ${3000 + s}ms`);
  }
  return `${lines.sort().join('\n')}\n`;
}
const DEPLOYS = JSON.stringify([{ service: 'payments', version: '2.14.0', time: '2026-11-20T14:02:00Z', description: 'Pool size from env' }]);
/** The tool-output boundary is random per conversation. */
const sameBoundary = (json: string) => json.replace(/(tool_output-|boundary for this conversation: )[0-9a-f]{24}/g, '$1BOUNDARY');
const firstMessage = (body: Record<string, unknown>) => (body.messages as { content: { text: string }[] }[])[0]!.content[0]!.text;

describe('the first look', () => {
  let h: Harness;
  afterEach(async () => h?.dispose());

  it('comes after run_started and before the first step, and the first request holds it inside the tool-output boundary', async () => {
    h = await startHarness({ files: { 'logs/app.log': incidentLog(), 'deploys.json': DEPLOYS }, scenario: scriptedTurns([report]) });
    const { events } = await h.run({ description: 'Checkout fails since 14:05 UTC' }, { now: () => NOW });
    assert.deepEqual(
      events.slice(0, 3).map((e) => e.type),
      ['run_started', 'first_look', 'step_started'],
    );
    const look = eventsOfType(events, 'first_look')[0]!.firstLook;
    assert.equal(look.start?.time, '2026-11-20T14:05:00.000Z');
    assert.equal(look.start?.from, 'description');
    assert.equal(look.burst?.time, '2026-11-20T14:04:10.000Z');
    assert.equal(look.files[0]?.lines, incidentLog().split('\n').length - 1);
    const fresh = look.changes?.new.find((t) => t.level === 'error');
    assert.match(fresh?.template ?? '', /charge failed: pool exhausted/);
    assert.equal(fresh?.change?.ref, '2.14.0', 'the new error is tied to the deploy before it');
    assert.match(look.changes?.quiet[0]?.template ?? '', /heartbeat ok/);
    assert.ok(!look.changes?.new.some((t) => /cache miss|request served/.test(t.template)), 'steady templates are not new');
    assert.equal(look.precedingChange?.ref, '2.14.0');

    const text = firstMessage(h.server.messageRequests[0]!);
    const boundary = /boundary for this conversation: ([0-9a-f]{24})$/.exec(text)?.[1];
    assert.ok(boundary, 'the boundary is announced on the last line');
    const inside = new RegExp(`<tool_output-${boundary} tool="first_look">\\n([\\s\\S]*)\\n</tool_output-${boundary}>`).exec(text)?.[1] ?? '';
    assert.match(inside, /First error burst: .* from 14:04:10Z, first at logs\/app\.log:\d+/);
    assert.match(inside, /Suspected start: 14:05:00Z, from the description \("14:05 UTC"\)/);
    assert.match(inside, /deploy payments 2\.14\.0 at 2026-11-20T14:02:00\.000Z \(3m before\)/);
    assert.ok(text.indexOf('</incident_description>') < text.indexOf(`<tool_output-${boundary}`), 'after the description, before the announcement');
  });

  it('is in the preview exactly as in the first request: the same inputs give the same bytes', async () => {
    h = await startHarness({ files: { 'logs/app.log': incidentLog(), 'deploys.json': DEPLOYS }, scenario: scriptedTurns([report]) });
    const request = { description: 'payments broke about 20 minutes ago' };
    const context = { client: h.client, tools: createToolRegistry(), workspaceRoots: [h.workspace], now: () => NOW };
    const [a, b] = [await previewRequest(request, context), await previewRequest(request, context)];
    await h.run(request, { now: () => NOW });
    assert.equal(sameBoundary(JSON.stringify(a)), sameBoundary(JSON.stringify(b)));
    assert.equal(sameBoundary(JSON.stringify(a.messages)), sameBoundary(JSON.stringify(h.server.messageRequests[0]!.messages)));
    assert.match(firstMessage(a as unknown as Record<string, unknown>), /Suspected start: 14:10:00Z, from the description \("20 minutes ago"\)/);
  });

  it('redacts a secret in a log line it shows, in the event and in the request', async () => {
    const planted = PLANTED_SECRETS.find((s) => s.kind === 'password-pair')!;
    const log = incidentLog().replace(/(14:04:10\.000Z ERROR charge failed: pool exhausted after 3010ms)/, `$1 ${planted.line}`);
    h = await startHarness({ files: { 'logs/app.log': log }, scenario: scriptedTurns([report]) });
    const { events } = await h.run({ description: 'checkout broken' }, { now: () => NOW });
    const look = eventsOfType(events, 'first_look')[0]!.firstLook;
    assert.ok(look.burst, 'the burst is found');
    assert.match(look.burst.sample, /password=\[REDACTED:[^\]]+\]/);
    assert.ok((look.redactions ?? 0) >= 1);
    assert.ok(!JSON.stringify(events).includes(planted.value), 'not in any event');
    assert.ok(!JSON.stringify(h.server.messageRequests).includes(planted.value), 'not in any request');
  });

  it('stops at its time budget on a big file and says what it covered; the run goes on', async () => {
    h = await startHarness({ scenario: scriptedTurns([report]) });
    // About 24 MB of lines without errors: far more than 1 ms of reading.
    await writeFile(path.join(h.workspace, 'big.log'), `${at(0)} INFO request served in 42ms by worker-7 on host-3\n`.repeat(400_000));
    const { events } = await h.run({ description: 'slow since 14:05' }, { now: () => NOW, firstLookBudgetMs: 1 });
    const look = eventsOfType(events, 'first_look')[0]!.firstLook;
    assert.match(look.partial ?? '', /^Stopped early at the 1 ms budget: the error scan (read big\.log up to line [\d,]+|did not reach big\.log)/);
    assert.equal(look.files[0]?.lines, undefined, 'a line count only for a file read to its end');
    assert.equal(look.files[0]?.last, at(0), 'the span still comes from the tail');
    assert.equal(finished(events).reason, 'report');
  });

  it('without log files: a short honest first look, and the run works', async () => {
    h = await startHarness({ files: { 'README.md': 'nothing here' }, scenario: scriptedTurns([report]) });
    const { events } = await h.run({ description: 'the site is down since 14:05' }, { now: () => NOW });
    const look = eventsOfType(events, 'first_look')[0]!.firstLook;
    assert.equal(look.filesTotal, 0);
    assert.match(look.notes[0] ?? '', /^No log files in the workspace \(looked for \*\*\/\*\.log/);
    assert.equal(look.changes, undefined);
    assert.equal(finished(events).reason, 'report');
    assert.match(firstMessage(h.server.messageRequests[0]!), /Looked at 0 log files[\s\S]*Note: No log files in the workspace/);
  });

  it('a failure inside it becomes a note: a log file outside the workspace', async () => {
    h = await startHarness({ files: { 'logs/app.log': incidentLog() }, scenario: scriptedTurns([report]) });
    const { events } = await h.run({ description: 'x', logFile: '../../etc/passwd' }, { now: () => NOW });
    const look = eventsOfType(events, 'first_look')[0]!.firstLook;
    assert.match(look.notes.join('\n'), /^The first look stopped: .*outside the workspace/m);
    assert.equal(finished(events).reason, 'report');
  });

  it('looks at the one file the engineer started from', async () => {
    h = await startHarness({ files: { 'logs/app.log': incidentLog(), 'logs/other.log': `${at(1)} ERROR unrelated\n` }, scenario: scriptedTurns([report]) });
    const { events } = await h.run({ description: 'Analyze the log file logs/app.log', logFile: 'logs/app.log' }, { now: () => NOW });
    const look = eventsOfType(events, 'first_look')[0]!.firstLook;
    assert.equal(look.logFile, 'logs/app.log');
    assert.deepEqual(
      look.files.map((f) => f.path),
      ['logs/app.log'],
    );
    assert.equal(look.start?.from, 'burst');
    assert.match(look.timeNote ?? '', /^No time in the description: the first error burst is taken as the start instead\.$/);
  });

  it('a follow-up question gets no new first look', async () => {
    h = await startHarness({ files: { 'logs/app.log': incidentLog() }, scenario: scriptedTurns([report, report]) });
    const first = await h.run({ description: 'since 14:05' }, { now: () => NOW });
    const second = await h.run({ description: 'Should we roll back?', followUp: first.run.conversation }, { now: () => NOW });
    assert.equal(eventsOfType(first.events, 'first_look').length, 1);
    assert.equal(eventsOfType(second.events, 'first_look').length, 0);
    const last = h.server.messageRequests.at(-1)!.messages as { role: string; content: { text?: string }[] }[];
    assert.equal(last.filter((m) => m.role === 'user' && m.content.some((b) => b.text?.includes('tool="first_look"'))).length, 1, 'only the first message holds one');
  });

  it('turned off (the benchmark’s before), there is neither event nor text', async () => {
    h = await startHarness({ files: { 'logs/app.log': incidentLog() }, scenario: scriptedTurns([report]) });
    const { events } = await h.run({ description: 'since 14:05', firstLook: false }, { now: () => NOW });
    assert.equal(eventsOfType(events, 'first_look').length, 0);
    assert.doesNotMatch(firstMessage(h.server.messageRequests[0]!), /first_look/);
  });

  it('says so when the description’s time is ambiguous, and falls back to the burst', async () => {
    h = await startHarness({ files: { 'logs/app.log': incidentLog() } });
    const look = await computeFirstLook({ description: 'payments down since 14:05 CST' }, { workspaceRoots: [h.workspace], nowMs: NOW.getTime() });
    assert.equal(look.start?.from, 'burst');
    assert.match(look.timeNote ?? '', /^The description's "14:05 CST" was not used \(the zone CST could be US Central .*\): the first error burst is taken as the start instead\.$/);
  });
});

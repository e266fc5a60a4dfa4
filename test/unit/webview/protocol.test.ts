import assert from 'node:assert/strict';
import { hostToPanel, panelToHost } from '../../../src/webview/protocol';
import { costViewToHost, hostToCostView } from '../../../src/webview/costProtocol';

describe('webview message protocols', () => {
  it('accepts every well-formed message from the panel', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'start', description: '  checkout is down  ' },
      { type: 'followUp', question: 'roll back?' },
      { type: 'cancel' },
      { type: 'openEvidence', file: 'logs/app.log', line: 12 },
      { type: 'exportReport' },
    ]) {
      assert.ok(panelToHost.safeParse(m).success, JSON.stringify(m));
    }
    assert.equal((panelToHost.parse({ type: 'start', description: '  checkout is down  ' }) as { description: string }).description, 'checkout is down');
  });

  it('drops unknown, malformed and oversized messages', () => {
    for (const m of [
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'openEvidence', file: 'logs/app.log', line: 0 },
      { type: 'openEvidence', file: 'logs/app.log', line: 1.5 },
      { type: 'openEvidence', file: 'logs/app.log' },
      { type: 'start', description: '   ' },
      { type: 'start', description: 'x'.repeat(20_001) },
      { type: 'start' },
      'start',
      null,
    ]) {
      assert.equal(panelToHost.safeParse(m).success, false, JSON.stringify(m));
    }
  });

  it('checks what the host sends the panel and the cost view', () => {
    assert.ok(hostToPanel.safeParse({ type: 'events', events: [{ type: 'text_delta', step: 1, text: 'hi' }] }).success);
    assert.equal(hostToPanel.safeParse({ type: 'events', events: [{ type: 'exfiltrate' }] }).success, false);
    assert.equal(hostToPanel.safeParse({ type: 'init', events: [], busy: 'no', readOnly: false }).success, false);
    const totals = { calls: 0 };
    assert.ok(hostToCostView.safeParse({ type: 'data', records: [], totals: { run: totals, session: totals, all: totals } }).success);
    assert.equal(hostToCostView.safeParse({ type: 'data', records: [{}], totals: { run: totals, session: totals, all: totals } }).success, false);
    assert.ok(costViewToHost.safeParse({ type: 'exportCsv' }).success);
    assert.equal(costViewToHost.safeParse({ type: 'deleteEverything' }).success, false);
  });
});

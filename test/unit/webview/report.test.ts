import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { VerifiedReport } from '../../../src/shared/report';
import type { PanelToHost } from '../../../src/webview/protocol';
import { domFor } from '../../../src/webview/ui/dom';
import { renderReport } from '../../../src/webview/ui/report';
import { inconclusiveReport, mixedReport, verifiedReport } from '../../fixtures/reports';

/** One report card on a jsdom page, attached so that focus moves as in the webview, and what it posted. */
function card(report: VerifiedReport) {
  const dom = new JSDOM('<!DOCTYPE html><body></body>');
  const doc = dom.window.document;
  const posted: PanelToHost[] = [];
  const node = renderReport(domFor(doc), report, (m) => posted.push(m));
  doc.body.append(node);
  const text = (selector: string) => [...node.querySelectorAll(selector)].map((n) => n.textContent);
  return { dom, doc, node, posted, text };
}

describe('the report card', () => {
  it('numbers the evidence and marks each item with its check, in words', () => {
    const { text } = card(mixedReport());
    assert.deepEqual(text('.evidence-number'), ['#1', '#2', '#3', '#4', '#5', '#6', '#7']);
    assert.deepEqual(text('.evidence-item .verification'), [
      ' verified',
      ' moved to line 52 (cited line 40)',
      ' moved to logs/payments/payments.log.1.gz:9 (cited logs/payments/payments.log:12)',
      ' unverified: excerpt not in the file',
      ' verified',
      ' verified',
      ' unverified: not in any get_recent_deploys result of this run',
    ]);
    assert.deepEqual(text('.evidence-item .evidence-location'), ['config/payments.yaml:3', 'latency_p95 of payments = 2.9 at 2026-11-20T14:05:00Z', 'deploy payments-v2.14', 'commit a1b2c3d']);
  });

  it('opens a verified line where cited and a moved one where it really is, in its file or another', () => {
    const { node, posted, text } = card(mixedReport());
    assert.deepEqual(text('.evidence-link'), ['logs/payments/payments.log:107', 'logs/payments/payments.log:52', 'logs/payments/payments.log.1.gz:9']);
    for (const link of node.querySelectorAll<HTMLElement>('.evidence-link')) link.click();
    assert.deepEqual(posted, [
      { type: 'openEvidence', file: 'logs/payments/payments.log', line: 107 },
      { type: 'openEvidence', file: 'logs/payments/payments.log', line: 52 },
      { type: 'openEvidence', file: 'logs/payments/payments.log.1.gz', line: 9 },
    ]);
  });

  it('gives an unverified citation no link: plain text, not a button, not in the Tab order', () => {
    const { node, posted } = card(mixedReport());
    const unverified = [...node.querySelectorAll<HTMLElement>('.evidence-item.unverified')];
    assert.equal(unverified.length, 2);
    for (const item of unverified) {
      const head = item.querySelector('.evidence-head')!;
      assert.equal(head.querySelectorAll('button, a, [role], [tabindex], [href]').length, 0, head.innerHTML);
      assert.equal(item.tabIndex, -1, 'reachable from a #n reference, never by Tab');
      item.querySelector<HTMLElement>('.evidence-location')!.click();
    }
    assert.deepEqual(posted, []);
  });

  it('states the verification summary in the header, with a warning when anything failed', () => {
    const mixed = card(mixedReport()).node.querySelector('.verification-summary')!;
    assert.equal(mixed.textContent, ' 3 of 7 evidence items verified · 2 moved · 2 unverified · 1 timeline entry contradicts its line');
    assert.ok(mixed.classList.contains('has-warning'));
    assert.deepEqual(
      [...mixed.querySelectorAll('.tone-warning')].map((n) => n.textContent),
      ['2 unverified', '1 timeline entry contradicts its line'],
    );
    const clean = card(verifiedReport()).node.querySelector('.verification-summary')!;
    assert.equal(clean.textContent, ' 1 of 1 evidence item verified');
    assert.ok(!clean.classList.contains('has-warning'));
  });

  it('shows a capped confidence with the reason and the model’s figure, and says the report was checked twice', () => {
    const { node, text } = card(mixedReport());
    assert.equal(node.querySelector('.confidence')!.textContent, 'confidence 40% — capped: 2 of 7 evidence items unverified, 1 timeline entry contradicts its line (model said 90%)');
    assert.deepEqual(text('.resubmitted'), [' Checked twice: the model was shown what failed and resubmitted; what still fails is flagged below.']);
    assert.equal(card(verifiedReport()).node.querySelector('.confidence')!.textContent, 'confidence 80%');
    assert.equal(card(verifiedReport()).node.querySelector('.resubmitted'), null);
  });

  it('lists every hypothesis with its status in words, refuted ones kept, citing evidence by number', () => {
    const { node, text } = card(mixedReport());
    const items = [...node.querySelectorAll('.hypotheses li')];
    assert.deepEqual(
      items.map((li) => li.className),
      ['hypothesis supported', 'hypothesis refuted', 'hypothesis open'],
    );
    assert.deepEqual(text('.hypothesis-status'), [' supported', ' refuted', ' open']);
    assert.deepEqual(text('.hypothesis .statement'), [' The 14:02 deploy shrank the DB pool', ' A network partition between checkout and payments', ' A traffic spike added to the load']);
    assert.deepEqual(
      items.map((li) => li.querySelector('.evidence-refs')?.textContent),
      ['#1, #2, #6', '#5', undefined],
    );
  });

  it('moves focus to the evidence item a #n reference names', () => {
    const { node, doc } = card(mixedReport());
    const refs = [...node.querySelectorAll<HTMLButtonElement>('.hypotheses .evidence-ref')];
    assert.ok(refs.every((ref) => ref.type === 'button'));
    refs[1]!.click();
    assert.equal(doc.activeElement, node.querySelector('.evidence-item[data-evidence="2"]'));
    assert.equal(refs[1]!.getAttribute('aria-label'), 'evidence #2');
  });

  it('keeps a reference to an item that does not exist as plain text', () => {
    const report = verifiedReport();
    const { node } = card({ ...report, hypotheses: [{ statement: 'x', status: 'open', evidence: [1, 4] }] });
    const refs = node.querySelector('.evidence-refs')!;
    assert.equal(refs.textContent, '#1, #4');
    assert.equal(refs.querySelectorAll('button').length, 1);
  });

  it('flags a timeline entry its line contradicts, and shows which item each entry cites', () => {
    const { node } = card(mixedReport());
    const entries = [...node.querySelectorAll('.timeline li')];
    assert.deepEqual(
      entries.map((li) => li.querySelector('.evidence-refs')!.textContent),
      ['#6', '#2', '#1'],
    );
    assert.deepEqual(
      entries.map((li) => li.classList.contains('disagrees')),
      [false, true, false],
    );
    assert.equal(entries[1]!.querySelector('.timeline-check')!.textContent, ' time disagrees: line 52 is stamped 2026-11-20T14:07:12Z');
  });

  it('says Inconclusive unmistakably, with what was checked and what is missing', () => {
    const { node, text } = card(inconclusiveReport());
    assert.ok(node.classList.contains('inconclusive'));
    assert.deepEqual(text('.report-head .conclusion-badge'), [' Inconclusive']);
    assert.deepEqual(text('.inconclusive-list.checked li'), ['nginx access and error logs 13:30–14:30', 'payments deploys of the last 24 h']);
    assert.deepEqual(text('.inconclusive-list.missing li'), ['payments DB server logs (not in the workspace)', 'connection-pool metrics']);
    assert.deepEqual(text('h3'), [' Leading candidate', ' Inconclusive: what was checked, what is missing', ' Hypotheses', ' Evidence', ' Timeline', ' What to look at next']);
    assert.equal(card(verifiedReport()).node.querySelector('.conclusion-badge, .inconclusive-list'), null);
  });

  it('says so when an inconclusive report leaves out what it checked', () => {
    const { text } = card({ ...inconclusiveReport(), checked: undefined, missing: [] });
    assert.deepEqual(text('.inconclusive-list p'), ['not stated in the report', 'not stated in the report']);
  });

  it('hides its icons from screen readers: the words beside them carry the meaning', () => {
    const { node } = card(mixedReport());
    const icons = [...node.querySelectorAll('.codicon')];
    assert.ok(icons.length > 10);
    assert.ok(icons.every((icon) => icon.getAttribute('aria-hidden') === 'true'));
  });
});

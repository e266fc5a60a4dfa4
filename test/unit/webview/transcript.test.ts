import assert from 'node:assert/strict';
import type { TriageEvent } from '../../../src/shared/events';
import type { VerifiedReport } from '../../../src/shared/report';
import { inconclusiveReport, mixedReport, sampleReport, verifiedReport } from '../../fixtures/reports';
import { everyEvent } from './everyEvent';
import { HOSTILE, assertInert, panel } from './panelDom';

/** The report with markup in every string the model or a check wrote: evidence, reasons, hypotheses, lists. */
function hostile(r: VerifiedReport): VerifiedReport {
  const mark = (value: unknown): unknown =>
    typeof value === 'string'
      ? `${value} ${HOSTILE}`
      : Array.isArray(value)
        ? value.map(mark)
        : value && typeof value === 'object'
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'kind' || k === 'status' || k === 'severity' || k === 'conclusion' ? v : mark(v)]))
          : value;
  return mark(r) as VerifiedReport;
}

const step = (n: number, attempt?: number): TriageEvent => ({ type: 'step_started', step: n, model: 'claude-sonnet-5-5', forcedReport: false, ...(attempt ? { attempt } : {}) });
const text = (t: string): TriageEvent => ({ type: 'text_delta', step: 1, text: t });
const started = (id: string, name = 'search_logs'): TriageEvent => ({ type: 'tool_call_started', step: 1, id, name });
const result = (id: string, fields: Partial<Extract<TriageEvent, { type: 'tool_result' }>> = {}): TriageEvent => ({
  type: 'tool_result',
  step: 1,
  id,
  name: 'search_logs',
  ok: true,
  durationMs: 12,
  preview: 'logs/app.log:3 ERROR boom',
  ...fields,
});
const series = {
  kind: 'series',
  label: 'latency_p95 of payments',
  points: [
    { t: Date.UTC(2026, 10, 20, 14, 0), v: 0.11 },
    { t: Date.UTC(2026, 10, 20, 14, 5), v: 2.9 },
    { t: Date.UTC(2026, 10, 20, 14, 10), v: 3.1 },
  ],
};

describe('the panel transcript', () => {
  it('appends streamed text deltas to one Markdown block, rendered once per flush', () => {
    const { root, transcript, apply } = panel();
    apply(step(1));
    transcript.apply(text('Payments is **fail'));
    transcript.apply(text('ing** since 14:04.'));
    assert.equal(root.querySelector('.markdown')!.innerHTML, '', 'nothing rendered before the frame');
    transcript.flushText();
    const blocks = root.querySelectorAll('.step .markdown');
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0]!.textContent.trim(), 'Payments is failing since 14:04.');
    assert.equal(blocks[0]!.querySelector('strong')!.textContent, 'failing');
  });

  it('streams reasoning into one block and starts a new text block after it', () => {
    const { root, apply } = panel();
    apply(step(1), text('First.'), { type: 'thinking_delta', step: 1, text: 'Look at ' }, { type: 'thinking_delta', step: 1, text: 'payments.' }, text('Then.'));
    assert.equal(root.querySelector('.thinking-body')!.textContent, 'Look at payments.');
    assert.deepEqual(
      [...root.querySelectorAll('.markdown')].map((b) => b.textContent.trim()),
      ['First.', 'Then.'],
    );
  });

  it('strikes out a failed attempt when its step is retried, and streams the retry apart from it', () => {
    const { root, apply } = panel();
    apply(step(1), text('The cause is the da'), started('toolu_lost'), step(1, 2), text('The cause is the pool size.'));
    const [failed, retry] = [...root.querySelectorAll('section.step')];
    assert.ok(failed!.classList.contains('discarded'));
    assert.ok(!retry!.classList.contains('discarded'));
    assert.match(retry!.querySelector('.step-title')!.textContent, /Step 1 · attempt 2/);
    assert.equal(retry!.querySelector('.markdown')!.textContent.trim(), 'The cause is the pool size.');
    assert.equal(failed!.querySelector('.markdown')!.textContent.trim(), 'The cause is the da', 'the partial text is not continued');
    // Its unfinished tool call will never get a result: it stops spinning.
    assert.equal(root.querySelectorAll('.tool-card.running, .codicon-modifier-spin').length, 0);
    assert.ok(failed!.querySelector('.tool-card.abandoned'));
  });

  it('does not discard the previous step when a new step starts normally', () => {
    const { root, apply } = panel();
    apply(step(1), text('One.'), step(2), text('Two.'));
    assert.equal(root.querySelectorAll('.discarded').length, 0);
  });

  it('opens a tool card while the call streams and closes it with its result', () => {
    const { root, apply } = panel();
    apply(step(1), started('toolu_1'), { type: 'tool_input_delta', step: 1, id: 'toolu_1', partialJson: '{"query":' });
    const card = root.querySelector<HTMLDetailsElement>('details.tool-card')!;
    assert.ok(card.classList.contains('running'));
    assert.ok(card.querySelector('.codicon-modifier-spin'));
    assert.equal(card.querySelector('.tool-args')!.textContent, '{"query":');
    apply({ type: 'tool_call_ready', step: 1, id: 'toolu_1', name: 'search_logs', input: { query: 'error' } });
    assert.equal(card.querySelector('.tool-args')!.textContent, JSON.stringify({ query: 'error' }, null, 2));
    apply(result('toolu_1', { redactions: 2, truncationNote: '[3 more]' }));
    assert.deepEqual([...card.classList].sort(), ['ok', 'tool-card']);
    assert.ok(card.querySelector('.tool-status .codicon-pass'));
    assert.equal(card.querySelector('.tool-result')!.textContent, 'logs/app.log:3 ERROR boom');
    assert.equal(card.querySelector('.tool-duration')!.textContent, ' 12 ms · 2 secrets redacted · cut to budget');
    assert.equal(card.open, false, 'a successful call stays folded');
  });

  it('opens a failed call to show why, and gives a result without a start its own card', () => {
    const { root, apply } = panel();
    apply(step(1), result('toolu_9', { ok: false, preview: 'No such file: logs/nope.log' }));
    const card = root.querySelector<HTMLDetailsElement>('details.tool-card')!;
    assert.ok(card.classList.contains('failed'));
    assert.equal(card.open, true);
    assert.equal(card.querySelector('.tool-result.error')!.textContent, 'No such file: logs/nope.log');
  });

  it('charts a query_metrics result above its arguments, and draws nothing for data it cannot read', () => {
    const { root, apply, plots } = panel();
    apply(step(1), started('toolu_m', 'query_metrics'), result('toolu_m', { name: 'query_metrics', data: series }));
    const card = root.querySelector<HTMLDetailsElement>('details.tool-card')!;
    const figure = card.querySelector('figure.metric-chart')!;
    assert.equal(figure.nextElementSibling, card.querySelector('.tool-args'));
    assert.ok(figure.querySelector('canvas'));
    assert.match(figure.querySelector('[role="img"]')!.getAttribute('aria-label')!, /^latency_p95 of payments: 3 points .*min 0\.11, max 3\.1, last 3\.1/);
    assert.equal(card.open, true, 'the chart is shown without a click');
    assert.equal(plots.length, 1);

    // One card per unreadable shape: each call gets its own id.
    for (const [i, data] of [
      {
        kind: 'series',
        label: 'x',
        points: [
          { t: 1, v: 'NaN' },
          { t: 2, v: 1 },
        ],
      },
      { kind: 'table' },
      'chart',
      null,
    ].entries()) {
      apply(started(`toolu_bad${i}`), result(`toolu_bad${i}`, { data }));
    }
    apply(started('toolu_f'), result('toolu_f', { ok: false, data: series }));
    assert.equal(root.querySelectorAll('figure').length, 1, 'only the valid series of a successful call is drawn');
    assert.equal(plots.length, 1);
  });

  it('keeps the card, without a chart, when drawing fails, and says why in the console', () => {
    const { root, apply } = panel({
      plot: () => {
        throw new Error('no 2d context');
      },
    });
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(...args);
    try {
      apply(step(1), started('toolu_m', 'query_metrics'), result('toolu_m', { data: series }));
    } finally {
      console.warn = warn;
    }
    assert.equal(root.querySelectorAll('figure').length, 0);
    assert.ok(root.querySelector('.tool-card.ok .tool-result'));
    assert.deepEqual(warnings, ['Incident Triage: chart not drawn: no 2d context']);
  });

  it('renders the report, and its evidence links and export button ask the host', () => {
    const { root, apply, posted, dom } = panel();
    apply(everyEvent.report);
    const card = root.querySelector('.report-card')!;
    assert.equal(card.querySelector('.severity')!.textContent, 'SEV2');
    assert.equal(card.querySelector('h2')!.textContent, sampleReport().title);
    assert.equal(card.querySelector('.confidence')!.textContent, 'confidence 80%');
    assert.deepEqual(
      [...card.querySelectorAll('.next-steps li')].map((li) => li.textContent),
      sampleReport().next_steps,
    );
    const link = card.querySelector<HTMLElement>('.evidence-link')!;
    assert.equal(link.textContent, 'logs/app.log:2');
    // A real button: the browser gives it Tab, Enter and Space, so no key handler of ours can miss one.
    assert.ok(link instanceof dom.window.HTMLButtonElement && link.type === 'button');
    link.click();
    card.querySelector<HTMLElement>('vscode-button')!.click();
    assert.deepEqual(posted, [{ type: 'openEvidence', file: 'logs/app.log', line: 2 }, { type: 'exportReport' }]);
  });

  it('shows costs with the shared formatter: a known $0 as $0, an unknown price as unknown', () => {
    const { root, apply } = panel();
    apply({ ...everyEvent.usage, costUsd: 0 }, { ...everyEvent.run_finished, costUsd: null });
    assert.match(root.querySelector('.usage-row')!.textContent, / out · \$0 · first token 300 ms · 900 ms$/);
    assert.match(root.querySelector('.run-end')!.textContent, /Report ready\. · 2 steps · 4\.2 s · unknown$/);
  });

  it('never turns hostile text from the model, a log, a tool or the report into markup', () => {
    const { root, apply, doc } = panel();
    apply(
      { ...everyEvent.run_started, description: HOSTILE, logFile: `logs/${HOSTILE}.log` },
      step(1),
      { type: 'thinking_delta', step: 1, text: HOSTILE },
      text(`Quoted from the log: ${HOSTILE} [runbook](javascript:alert(1)) ![pixel](https://evil.example/p.png) <b onmouseover=alert(1)>b</b> **still bold**`),
      started('toolu_h', HOSTILE),
      { type: 'tool_input_delta', step: 1, id: 'toolu_h', partialJson: HOSTILE },
      result('toolu_h', { name: HOSTILE, preview: `payments.log:12 ${HOSTILE}`, truncationNote: HOSTILE }),
      result('toolu_h2', { ok: false, name: HOSTILE, preview: HOSTILE }),
      { type: 'retrying', step: 1, attempt: 2, delayMs: 1, reason: HOSTILE },
      { type: 'model_fallback', step: 1, from: 'a', to: HOSTILE, reason: HOSTILE },
      {
        type: 'report',
        step: 2,
        report: verifiedReport(
          sampleReport({
            title: `Report with ${HOSTILE}`,
            summary: HOSTILE,
            suspected_root_cause: HOSTILE,
            evidence: [{ kind: 'log', file: `logs/${HOSTILE}.log`, line: 3, excerpt: HOSTILE, why: HOSTILE }],
            affected_services: [HOSTILE],
            timeline: [{ time: HOSTILE, event: HOSTILE }],
            next_steps: [HOSTILE],
          }),
        ),
      },
      { type: 'report', step: 3, report: hostile(mixedReport()) },
      { type: 'report', step: 4, report: hostile(inconclusiveReport()) },
      { type: 'error', step: 2, message: HOSTILE },
      { ...everyEvent.run_finished, message: HOSTILE },
    );
    assertInert(root);
    assert.equal(doc.title, '', 'no script ran');
    // The text is shown, as text, where it was written.
    assert.ok(root.querySelector('.run-description')!.textContent.includes('<script>'));
    assert.ok(root.querySelector('.tool-result')!.textContent.includes('<img src=x onerror='));
    assert.equal(root.querySelector('.tool-name')!.textContent, HOSTILE);
    assert.equal(root.querySelector('.report-card h2')!.textContent, `Report with ${HOSTILE}`);
    assert.equal(root.querySelector('.evidence-link')!.textContent, `logs/${HOSTILE}.log:3`);
    const [, mixed, inconclusive] = root.querySelectorAll('.report-card');
    for (const shown of [
      mixed!.querySelector('.verification.unverified'),
      mixed!.querySelector('.hypothesis .statement'),
      mixed!.querySelector('.timeline-check'),
      inconclusive!.querySelector('.missing li'),
    ]) {
      assert.ok(shown!.textContent.includes('<script>'), shown!.className);
    }
    assert.ok(root.querySelector('.markdown')!.textContent.includes('<img src=x onerror='));
    assert.equal(root.querySelector('.markdown strong')!.textContent, 'still bold', 'ordinary Markdown still renders');
  });

  it('starts afresh on reset', () => {
    const { root, transcript, apply } = panel();
    apply(step(1), started('toolu_1'));
    transcript.reset();
    assert.equal(root.childElementCount, 0);
    apply(result('toolu_1'));
    assert.equal(root.querySelectorAll('.tool-card').length, 1, 'the old card is not reused');
  });
});

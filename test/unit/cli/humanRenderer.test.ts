import assert from 'node:assert/strict';
import { stripVTControlCharacters } from 'node:util';
import { HumanRenderer } from '../../../src/cli/humanRenderer';
import { createStyle } from '../../../src/cli/terminal';
import type { VerifiedReport } from '../../../src/shared/report';
import { inconclusiveReport, mixedReport, verifiedReport } from '../../fixtures/reports';

/** What a terminal would show for one report event, colours on or off. */
function printed(report: VerifiedReport, colour = true): string {
  let out = '';
  new HumanRenderer({ write: (s: string) => (out += s) }, createStyle(colour)).render({ type: 'report', step: 2, report });
  return out;
}

/** The lines after `title`, up to the next blank line. */
function block(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(title);
  assert.ok(start >= 0, `no ${title} in\n${text}`);
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end);
}

describe('the CLI report', () => {
  const mixed = stripVTControlCharacters(printed(mixedReport()));

  it('heads the report with the capped confidence and its reason, the verification summary and the resubmission', () => {
    assert.deepEqual(mixed.split('\n').slice(1, 5), [
      '══ Triage report ══',
      '[SEV2]  Checkout 502s after payments DB pool exhaustion  confidence 40% — ⚠ capped: 2 of 7 evidence items unverified, 1 timeline entry contradicts its line (model said 90%)',
      '⚠ 3 of 7 evidence items verified · 2 moved · 2 unverified · 1 timeline entry contradicts its line',
      'Checked twice: the model was shown what failed and resubmitted; what still fails is flagged below.',
    ]);
  });

  it('marks each evidence item with its check, a moved one where it really is', () => {
    assert.deepEqual(
      block(mixed, 'Evidence').filter((l) => l.startsWith('  #')),
      [
        '  #1 logs/payments/payments.log:107  ✓ verified',
        '  #2 logs/payments/payments.log:52  ↪ moved to line 52 (cited line 40)',
        '  #3 logs/payments/payments.log.1.gz:9  ↪ moved to logs/payments/payments.log.1.gz:9 (cited logs/payments/payments.log:12)',
        '  #4 config/payments.yaml:3  ⚠ unverified: excerpt not in the file',
        '  #5 latency_p95 of payments = 2.9 at 2026-11-20T14:05:00Z  ✓ verified',
        '  #6 deploy payments-v2.14  ✓ verified',
        '  #7 commit a1b2c3d  ⚠ unverified: not in any get_recent_deploys result of this run',
      ],
    );
  });

  it('colours a place to open like a link, and an unverified citation not', () => {
    const coloured = printed(mixedReport());
    assert.ok(coloured.includes('\u001b[36mlogs/payments/payments.log:52\u001b[39m'));
    assert.ok(coloured.includes('\u001b[1m#4\u001b[22m config/payments.yaml:3  \u001b[33m⚠ unverified'));
  });

  it('lists the hypotheses with their status in words, and flags the timeline entry its line contradicts', () => {
    assert.deepEqual(block(mixed, 'Hypotheses'), [
      '  ▲ supported The 14:02 deploy shrank the DB pool  (evidence #1, #2, #6)',
      '  ✗ refuted   A network partition between checkout and payments  (evidence #5)',
      '  ? open      A traffic spike added to the load',
    ]);
    assert.deepEqual(block(mixed, 'Timeline'), [
      '  2026-11-20T14:02:00Z  payments-v2.14 deployed  #6',
      '  2026-11-20T14:03:00Z  Pool saturated  #2  ⚠ time disagrees: line 52 is stamped 2026-11-20T14:07:12Z',
      '  2026-11-20T14:05:00Z  First pool exhaustion error  #1',
    ]);
  });

  it('says INCONCLUSIVE in the head and lists what was checked and what is missing', () => {
    const text = printed(inconclusiveReport(), false);
    assert.ok(!text.includes('\u001b['), 'no colour codes with colour off');
    assert.match(text, /^\[SEV3\] {2}⚠ INCONCLUSIVE {2}Checkout 502s, cause not established {2}confidence 30%$/m);
    assert.deepEqual(block(text, 'Inconclusive'), [
      '  Checked',
      '    - nginx access and error logs 13:30–14:30',
      '    - payments deploys of the last 24 h',
      '  Missing',
      '    - payments DB server logs (not in the workspace)',
      '    - connection-pool metrics',
    ]);
    assert.deepEqual(block(text, 'What to look at next'), ['  1. Fetch the payments DB server logs for 14:00–14:10.']);
    assert.ok(text.includes('\nLeading candidate\n'));
  });

  it('a clean report shows its summary and nothing about caps, resubmissions or inconclusiveness', () => {
    const text = printed(verifiedReport(), false);
    assert.match(text, /^✓ 1 of 1 evidence item verified$/m);
    assert.doesNotMatch(text, /capped|Checked twice|INCONCLUSIVE/);
  });

  it('strips escape sequences from what the model and the checks wrote', () => {
    const title = '\u001b]0;pwned\u0007\u001b[2J';
    const report = mixedReport();
    report.hypotheses[0]!.statement += title;
    report.evidence[3]!.verification = { status: 'unverified', reason: `no such file${title}` };
    report.timeline[1]!.check = { status: 'disagrees', reason: `late${title}` };
    assert.ok(!printed(report, false).includes('\u001b'));
  });
});

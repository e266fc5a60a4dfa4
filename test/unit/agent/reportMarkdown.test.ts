import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { reportToMarkdown } from '../../../src/agent/reportMarkdown';
import type { VerifiedReport } from '../../../src/shared/report';
import { inconclusiveReport, mixedReport, sampleReport, verifiedReport } from '../../fixtures/reports';

/** The lines of one `## title` section, up to the next one. */
function section(markdown: string, title: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(`## ${title}`);
  assert.ok(start >= 0, `no section ${title}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter((l) => l !== '');
}

describe('the report as Markdown', () => {
  it('puts the verification summary and the capped confidence, with its reason, under the title', () => {
    const md = reportToMarkdown(mixedReport());
    const [title, , head, , summary, , note] = md.split('\n');
    assert.equal(title, '# Checkout 502s after payments DB pool exhaustion');
    assert.equal(
      head,
      '**Severity:** SEV2 · **Confidence:** 40% — ⚠ capped: 2 of 7 evidence items unverified, 1 timeline entry contradicts its line (model said 90%) · **Affected:** checkout-api, payments',
    );
    assert.equal(summary, '**Evidence:** ⚠ 3 of 7 evidence items verified · 2 moved · 2 unverified · 1 timeline entry contradicts its line');
    assert.equal(note, '_Checked twice: the model was shown what failed and resubmitted; what still fails is flagged below._');
  });

  it('a clean report says so and no more', () => {
    const md = reportToMarkdown(verifiedReport());
    assert.match(md, /^\*\*Severity:\*\* SEV2 · \*\*Confidence:\*\* 80% · \*\*Affected:\*\* checkout-api, payments$/m);
    assert.match(md, /^\*\*Evidence:\*\* ✓ 1 of 1 evidence item verified$/m);
    assert.doesNotMatch(md, /capped|Checked twice|Inconclusive/);
  });

  it('marks each evidence item: ✓ verified, ↪ moved with where it really is, ⚠ unverified with the reason', () => {
    const items = section(reportToMarkdown(mixedReport()), 'Evidence').filter((l) => l.startsWith('- '));
    assert.deepEqual(items, [
      '- **#1** `logs/payments/payments.log:107` ✓ verified — The pool is exhausted.',
      '- **#2** `logs/payments/payments.log:52` ↪ moved to line 52 (cited line 40) — Every connection is busy.',
      '- **#3** `logs/payments/payments.log.1.gz:9` ↪ moved to logs/payments/payments.log.1.gz:9 (cited logs/payments/payments.log:12) — The new version started just before the errors.',
      '- **#4** `config/payments.yaml:3` ⚠ unverified: excerpt not in the file — The pool was shrunk.',
      '- **#5** latency_p95 of payments = 2.9 at 2026-11-20T14:05:00Z ✓ verified — Latency jumped with the errors.',
      '- **#6** deploy payments-v2.14 ✓ verified — The deploy right before the incident.',
      '- **#7** commit a1b2c3d ⚠ unverified: not in any get_recent_deploys result of this run — The commit that changed the pool size.',
    ]);
  });

  it('lists the hypotheses with their status, refuted ones struck through but kept', () => {
    assert.deepEqual(section(reportToMarkdown(mixedReport()), 'Hypotheses'), [
      '- ▲ **supported** — The 14:02 deploy shrank the DB pool (evidence #1, #2, #6)',
      '- ✗ **refuted** — ~~A network partition between checkout and payments~~ (evidence #5)',
      '- ? **open** — A traffic spike added to the load',
    ]);
  });

  it('cites evidence from the timeline and flags the entry its line contradicts', () => {
    assert.deepEqual(section(reportToMarkdown(mixedReport()), 'Timeline'), [
      '| time | event | evidence |',
      '|---|---|---|',
      '| 2026-11-20T14:02:00Z | payments-v2.14 deployed | #6 |',
      '| 2026-11-20T14:03:00Z | Pool saturated | #2 ⚠ time disagrees: line 52 is stamped 2026-11-20T14:07:12Z |',
      '| 2026-11-20T14:05:00Z | First pool exhaustion error | #1 |',
    ]);
  });

  it('gives an inconclusive report its own section: what was checked, what is missing, what to look at next', () => {
    const md = reportToMarkdown(inconclusiveReport());
    assert.match(md, /^\*\*Severity:\*\* SEV3 · \*\*Conclusion:\*\* ⚠ Inconclusive · \*\*Confidence:\*\* 30%/m);
    assert.deepEqual(section(md, 'Inconclusive'), [
      '**Checked**',
      '- nginx access and error logs 13:30–14:30',
      '- payments deploys of the last 24 h',
      '**Missing**',
      '- payments DB server logs (not in the workspace)',
      '- connection-pool metrics',
    ]);
    assert.deepEqual(section(md, 'Leading candidate'), ['unknown; the payments pool is the leading candidate']);
    assert.deepEqual(section(md, 'What to look at next'), ['1. Fetch the payments DB server logs for 14:00–14:10.']);
    assert.deepEqual(section(reportToMarkdown({ ...inconclusiveReport(), checked: undefined }), 'Inconclusive').slice(0, 2), ['**Checked**', '_not stated in the report_']);
  });

  it('keeps backticks, pipes and line breaks from the model or a log inside their code, cell and row', () => {
    const report: VerifiedReport = verifiedReport(
      sampleReport({
        evidence: [{ kind: 'log', file: 'logs/`odd`.log', line: 4, excerpt: 'before\n```\n# not a heading', why: 'w' }],
        timeline: [{ time: '14:05', event: 'a | b\nc' }],
      }),
    );
    const md = reportToMarkdown(report);
    const html = new MarkdownIt().render(md);
    assert.match(html, /<code>logs\/`odd`\.log:4<\/code>/);
    assert.match(html, /<code>before\n```\n# not a heading\n<\/code>/);
    assert.doesNotMatch(html, /<h1>not a heading/);
    assert.match(html, /<td>a \| b c<\/td>/);
  });
});

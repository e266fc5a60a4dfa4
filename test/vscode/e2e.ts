/**
 * npm run test:e2e — Playwright drives the real workbench (code-server) as a person would:
 * the palette, the panel, a right-click in the Explorer, the status bar. The model is the local
 * API emulator replaying the sample incident, slowed down so streaming can be observed.
 * Screenshots go to test-results/e2e/.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { FakeAnthropic } from '../fixtures/anthropic-server/server';
import { checkoutIncidentScenario, checkoutReport } from '../fixtures/scenarios/checkoutIncident';
import { scriptedTurns } from '../fixtures/anthropic-server/scenario';
import { sampleReport } from '../fixtures/reports';
import type { LineEvidence } from '../../src/shared/report';

/** Model text carrying markup an attacker could have planted in a log the model quoted. */
const HOSTILE_TEXT =
  'Found this in the log: <img src=x onerror="document.title=\'pwned\'"> <script>document.title="pwned"</script> [open the runbook](javascript:alert(1)) ![pixel](https://evil.example/p.png) **still bold**';
const hostileScenario = scriptedTurns([
  {
    content: [
      { type: 'text', text: HOSTILE_TEXT },
      {
        type: 'tool_use',
        name: 'submit_triage_report',
        // Cites a real line of the sample, so the report passes its evidence check and renders.
        input: sampleReport({ title: 'Report with <b>markup</b> in its title', summary: '<img src=x onerror=alert(1)> summary', evidence: checkoutReport.evidence.slice(0, 1), hypotheses: [] }),
      },
    ],
  },
]);

/**
 * A report whose evidence partly fails, submitted twice unchanged: the engine sends it back once,
 * then shows it flagged. Items: a correct line, a line cited 7 lines off, a file that does not
 * exist, a metric no tool of this run returned; a timeline entry whose time its line contradicts.
 */
const cited = checkoutReport.evidence[0] as LineEvidence;
const failingReport = sampleReport({
  title: 'Payments pool cut to 5 connections (evidence partly unverified)',
  confidence: 0.9,
  evidence: [
    cited,
    { ...cited, line: 100, why: 'Cited a few lines off: found where it really is.' },
    { kind: 'log', file: 'logs/payments/payments-old.log', line: 3, excerpt: 'maximumPoolSize=50', why: 'A file that does not exist.' },
    { kind: 'metric', service: 'payments', metric: 'latency_p95', time: '2026-11-20T14:05:00Z', value: 2.9, why: 'No query_metrics result of this run showed it.' },
  ],
  hypotheses: [
    { statement: 'The deploy shrank the pool', status: 'supported', evidence: [1, 2] },
    { statement: 'The database is down', status: 'refuted', evidence: [1] },
  ],
  timeline: [{ time: '2026-11-20T13:40:00Z', event: 'Pool configured with 5 connections', evidence: 1 }],
});
const flaggedScenario = scriptedTurns([
  { content: [{ type: 'tool_use', name: 'submit_triage_report', input: failingReport }] },
  { content: [{ type: 'tool_use', name: 'submit_triage_report', input: failingReport }] },
]);
import { ROOT, hasCodeServer, openWorkbench } from './codeServer';

const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const results: { name: string; ok: boolean; error?: string }[] = [];

async function step(name: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
    results.push({ name, ok: true });
    console.log(`  ✔ ${name}`);
  } catch (err) {
    results.push({ name, ok: false, error: (err as Error).message });
    console.log(`  ✘ ${name}\n    ${(err as Error).message.split('\n')[0]}`);
    throw err;
  }
}

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

/** The panel's content: VS Code nests each webview in two iframes. */
function panelFrame(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

/** With several panels open, the one waiting for a description. */
async function panelWaitingForInput(page: Page): Promise<FrameLocator> {
  const webviews = page.locator('iframe.webview.ready');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (let i = (await webviews.count()) - 1; i >= 0; i--) {
      const frame = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('#active-frame');
      if (
        await frame
          .locator('#start')
          .isVisible()
          .catch(() => false)
      )
        return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error('no panel is waiting for a description');
}

/**
 * Expands a folder in the Explorer. A click on a row of a tree that does not have focus may only
 * select it (the webview had focus), so the click is followed, if the row is still collapsed, by
 * the keyboard's way to expand it; then it waits for the tree to say so.
 */
async function expandTreeRow(page: Page, row: Locator): Promise<void> {
  const expanded = async () => (await row.getAttribute('aria-expanded')) === 'true';
  if (await expanded()) return;
  await row.click();
  const deadline = Date.now() + 15_000;
  let pressed = false;
  while (!(await expanded())) {
    if (Date.now() > deadline) throw new Error(`the Explorer row "${await row.innerText()}" did not expand`);
    await page.waitForTimeout(250);
    if (!pressed && !(await expanded())) {
      await row.focus();
      await page.keyboard.press('ArrowRight');
      pressed = true;
    }
  }
}

/** A new triage from the palette, described as a user types it, waited for until its report card is drawn. */
async function triageToReport(page: Page, description: string): Promise<FrameLocator> {
  await runPalette(page, 'Incident Triage: Triage Incident');
  const frame = await panelWaitingForInput(page);
  await frame.locator('#description textarea').fill(description);
  await frame.locator('#start').click();
  await frame.locator('.report-card').waitFor({ timeout: 30_000 });
  return frame;
}

async function runPalette(page: Page, command: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${command}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: command }).first().waitFor();
  await page.keyboard.press('Enter');
}

/** Picks a colour theme as a person would: the palette, then the theme's name. */
async function setTheme(page: Page, label: string, webviewBodyClass: string): Promise<void> {
  // Rows named exactly so, clicked: the filters also keep neighbours that lead to the Marketplace.
  const row = (name: string) =>
    page
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/[+]/g, '\\+')}$`) }) })
      .first();
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('F1');
  await input.fill('>Preferences: Color Theme');
  await row('Preferences: Color Theme').click();
  await input.fill(label);
  await row(label).click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await panelFrame(page).locator(`body.${webviewBodyClass}`).waitFor({ timeout: 15_000 });
}

/**
 * Runs `check` in Dark+, Light+ and Dark High Contrast, then goes back to the workbench's own
 * theme so later screenshots look as before.
 */
async function inEachTheme(page: Page, check: (label: string, name: string) => Promise<void>): Promise<void> {
  const startedLight = await page.locator('.monaco-workbench.vs').count();
  for (const [label, bodyClass, name] of [
    ['Dark+', 'vscode-dark', 'dark-plus'],
    ['Light+', 'vscode-light', 'light-plus'],
    ['Dark High Contrast', 'vscode-high-contrast', 'high-contrast'],
  ] as const) {
    await setTheme(page, label, bodyClass);
    await check(label, name);
  }
  await setTheme(page, startedLight ? 'Light Modern' : 'Dark Modern', startedLight ? 'vscode-light' : 'vscode-dark');
}

/** The little of the webview's DOM that chartLineShare uses (this file is compiled without the DOM library). */
interface ChartCanvas {
  width: number;
  height: number;
  ownerDocument: {
    defaultView: { getComputedStyle(element: unknown): { color: string; getPropertyValue(name: string): string } };
    body: { append(node: unknown): void };
    createElement(tag: 'span'): { style: { color: string }; remove(): void };
  };
  getContext(kind: '2d'): { getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray } };
}

/**
 * How much of the chart's canvas is painted in the theme's --vscode-charts-blue, and that colour:
 * the line must be drawn in the current theme's colour, not in the one it was first drawn with.
 */
async function chartLineShare(frame: FrameLocator): Promise<{ colour: string; share: number }> {
  const canvas = frame.locator('figure.metric-chart canvas').first();
  return canvas.evaluate((c: ChartCanvas) => {
    const doc = c.ownerDocument;
    const probe = doc.createElement('span');
    probe.style.color = doc.defaultView.getComputedStyle(doc.body).getPropertyValue('--vscode-charts-blue');
    doc.body.append(probe);
    const colour = doc.defaultView.getComputedStyle(probe).color;
    probe.remove();
    const [r, g, b] = (colour.match(/\d+/g) ?? []).map(Number) as [number, number, number];
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let near = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 200 && Math.abs(data[i]! - r) + Math.abs(data[i + 1]! - g) + Math.abs(data[i + 2]! - b) < 60) near++;
    return { colour, share: near / (c.width * c.height) };
  });
}

async function main(): Promise<number> {
  if (!hasCodeServer()) {
    // A developer's machine without code-server skips, saying how to run them; CI must run them.
    console.log(`${process.env.CI ? 'FAILED' : 'skipped'}: the VS Code tests need code-server and Chromium; run \`npm run setup:vscode\` (root, Debian) first.`);
    return process.env.CI ? 1 : 0;
  }
  mkdirSync(SHOTS, { recursive: true });
  const fake = await FakeAnthropic.start({ scenario: checkoutIncidentScenario, chunkDelayMs: 25 });
  const bench = await openWorkbench({ env: { ANTHROPIC_API_KEY: 'sk-ant-e2e-test-key-0000000000000000', ANTHROPIC_BASE_URL: fake.url } });
  const { page } = bench;
  console.log('Incident Triage end to end, in code-server');
  try {
    await step('the workbench loads with the extension', async () => {
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page
        .locator('.statusbar-item', { hasText: 'cached' })
        .waitFor({ timeout: 60_000 })
        .catch(() => undefined);
      await shot(page, '01-workbench');
    });

    await step('palette → Triage Incident opens the panel', async () => {
      await runPalette(page, 'Incident Triage: Triage Incident');
      await panelFrame(page).locator('#start').waitFor({ timeout: 30_000 });
      await shot(page, '02-panel');
    });

    await step('a description starts the run, and the text visibly streams', async () => {
      const frame = panelFrame(page);
      await frame.locator('#description textarea').fill('Checkout is failing for most customers since about 14:05 UTC.');
      await frame.locator('#start').click();
      await frame.locator('#start-form').waitFor({ state: 'hidden' });
      const lengths: number[] = [];
      const transcript = frame.locator('#transcript');
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && !(await frame.locator('.report-card').count())) {
        lengths.push((await transcript.innerText()).length);
        if (lengths.length === 8) await shot(page, '03-streaming');
        await page.waitForTimeout(150);
      }
      const distinct = [...new Set(lengths)];
      assert.ok(distinct.length >= 5, `only ${distinct.length} distinct transcript states while streaming`);
      assert.deepEqual(
        distinct,
        [...distinct].sort((a, b) => a - b),
        'the transcript only grows',
      );
    });

    await step('tool cards appear and complete, and the report renders', async () => {
      const frame = panelFrame(page);
      await frame.locator('.report-card').waitFor({ timeout: 30_000 });
      assert.equal(await frame.locator('.tool-card.running').count(), 0);
      assert.ok((await frame.locator('.tool-card.ok').count()) >= 9);
      assert.match(await frame.locator('.report-card .severity').innerText(), /SEV1/);
      assert.ok((await frame.locator('.evidence-link').count()) >= 7);
      // Every citation of the recorded run was checked against the sample's files.
      assert.equal((await frame.locator('.report-card .verification-summary').innerText()).trim(), '8 of 8 evidence items verified');
      assert.equal(await frame.locator('.report-card .evidence-item.verified').count(), 8);
      await frame.locator('.report-card').scrollIntoViewIfNeeded();
      await shot(page, '04-report');
    });

    await step('the query_metrics card charts its series on a canvas, with a text alternative', async () => {
      const frame = panelFrame(page);
      const card = frame.locator('details.tool-card', { has: frame.locator('.tool-name', { hasText: 'query_metrics' }) });
      const figure = card.locator('figure.metric-chart');
      await figure.locator('canvas').first().waitFor({ timeout: 15_000 });
      assert.equal(await card.getAttribute('open'), '', 'the chart is shown without a click');
      assert.match(await figure.locator('figcaption').innerText(), /latency_p95 of payments/);
      const label = (await figure.locator('[role="img"]').getAttribute('aria-label')) ?? '';
      assert.match(label, /^latency_p95 of payments: \d+ points from 2026-11-20 \d\d:\d\d UTC to \d\d:\d\d UTC; min [\d.]+, max [\d.]+, last [\d.]+/);
      const box = await figure.locator('canvas').first().boundingBox();
      assert.ok(box && box.width > 200 && box.height > 100, `canvas ${JSON.stringify(box)}`);
    });

    await step("the chart is drawn in the theme's colours: Dark+, Light+, High Contrast", async () => {
      const frame = panelFrame(page);
      const figure = frame.locator('figure.metric-chart').first();
      const colours: string[] = [];
      await inEachTheme(page, async (label, name) => {
        await page.waitForTimeout(300); // the repaint follows the theme's CSS variables
        const line = await chartLineShare(frame);
        assert.ok(line.share > 0.002, `${label}: only ${(line.share * 100).toFixed(2)}% of the canvas is ${line.colour}`);
        colours.push(line.colour);
        await figure.scrollIntoViewIfNeeded();
        await shot(page, `04b-chart-${name}`);
        await figure.screenshot({ path: path.join(SHOTS, `04c-chart-${name}-closeup.png`) });
      });
      assert.notEqual(colours[0], colours[1], 'Light+ draws the line in its own blue');
    });

    await step('a click on evidence opens the log at the cited line', async () => {
      await panelFrame(page).locator('.evidence-link', { hasText: 'logs/payments/payments.log:107' }).click();
      await page.locator('.tab.active', { hasText: 'payments.log' }).waitFor({ timeout: 15_000 });
      await page.locator('.statusbar-item', { hasText: 'Ln 107' }).waitFor({ timeout: 15_000 });
      await shot(page, '05-evidence');
    });

    await step('the status bar shows what the session cost', async () => {
      const meter = page.locator('.statusbar-item', { hasText: '% cached' });
      await meter.waitFor({ timeout: 15_000 });
      assert.match(await meter.innerText(), /\$0\.\d+ · \d+% cached/);
    });

    await step('right-click a log in the Explorer → Analyze Log File runs a scoped triage', async () => {
      await page.keyboard.press('Control+Shift+E');
      const tree = page.locator('.explorer-folders-view');
      for (const folder of ['logs', 'payments']) {
        const row = tree.locator('.monaco-list-row', { hasText: new RegExp(`^${folder}$`) }).first();
        await row.waitFor();
        await expandTreeRow(page, row);
      }
      await tree.locator('.monaco-list-row', { hasText: /^payments\.log$/ }).click({ button: 'right' });
      // As a keyboard user would: the item under the pointer, then Enter.
      await page.locator('.monaco-menu .action-label', { hasText: 'Analyze Log File' }).hover();
      await page.keyboard.press('Enter');
      const frame = panelFrame(page);
      await frame.locator('.run-header', { hasText: 'from logs/payments/payments.log' }).waitFor({ timeout: 30_000 });
      await frame.locator('.report-card').waitFor({ timeout: 30_000 });
      await shot(page, '06-analyze-log-file');
    });

    await step('markup in model text and reports renders inert (no elements, no links, no loads)', async () => {
      fake.scenario = hostileScenario;
      const frame = await triageToReport(page, 'Render whatever the model says.');
      const transcript = frame.locator('#transcript');
      assert.equal(await transcript.locator('img, script, iframe').count(), 0, 'no element from the text');
      assert.equal(await transcript.locator('a[href]').count(), 0, 'no link can navigate');
      assert.equal(await transcript.locator('.markdown strong', { hasText: 'still bold' }).count(), 1, 'ordinary markdown still renders');
      const text = await transcript.innerText();
      assert.match(text, /<img src=x onerror=/, 'raw HTML shows as text');
      assert.match(await frame.locator('.report-card h2').innerText(), /Report with <b>markup<\/b> in its title/);
      assert.notEqual(await page.title(), 'pwned');
      await shot(page, '07-hostile-markup');
    });

    await step('a report whose evidence fails is sent back once, then shown flagged: badges in Dark+, Light+, High Contrast', async () => {
      fake.scenario = flaggedScenario;
      const frame = await triageToReport(page, 'Checkout is failing.');
      const card = frame.locator('.report-card');
      assert.equal(await frame.locator('.tool-card', { hasText: 'submit_triage_report' }).count(), 2, 'the rejected call and the accepted one');
      assert.match((await card.locator('.verification-summary').innerText()).trim(), /^1 of 4 evidence items verified · 1 moved · 2 unverified · 1 timeline entry contradicts its line$/);
      assert.match(await card.locator('.confidence-cap').innerText(), /capped: 2 of 4 evidence items unverified.*\(model said 90%\)/);
      assert.equal(await card.locator('.evidence-item.unverified').count(), 2);
      assert.equal(await card.locator('.evidence-item.unverified .evidence-link').count(), 0, 'no link to a place the citation is known not to be');
      assert.equal(await card.locator('.evidence-item.moved .evidence-link').innerText(), 'logs/payments/payments.log:107', 'the moved link names the real line');
      assert.match(await card.locator('.hypothesis.refuted').innerText(), /refuted/);
      await inEachTheme(page, async (_label, name) => {
        await card.locator('.report-head').scrollIntoViewIfNeeded();
        await shot(page, `08-flagged-${name}`);
        await card.screenshot({ path: path.join(SHOTS, `08b-flagged-${name}-card.png`) });
      });
    });
  } catch {
    await shot(page, 'failure').catch(() => undefined);
  } finally {
    await bench.close();
    await fake.close();
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  console.log(`screenshots: ${path.relative(ROOT, SHOTS)}/`);
  return failed || results.length < 11 ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);

import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type uPlot from 'uplot';
import { chartOptions, describeSeries, metricChart, seriesChartData, watchThemeChanges, type PlotFactory, type SeriesChartData } from '../../../src/webview/ui/metricChart';

const at = (h: number, m: number) => Date.UTC(2026, 10, 20, h, m);
const shifted: SeriesChartData = {
  kind: 'series',
  label: 'latency_p95 of payments',
  points: [
    { t: at(13, 55), v: 0.11 },
    { t: at(14, 0), v: 0.1 },
    { t: at(14, 5), v: 2.9 },
    { t: at(14, 10), v: 3.05 },
  ],
  change: { t: at(14, 5), before: 0.105, after: 2.975 },
};

function page() {
  const dom = new JSDOM('<!DOCTYPE html><body></body>');
  return { dom, doc: dom.window.document };
}

/** A stand-in for uPlot that records what it was asked to draw. */
function recordingPlot() {
  const calls: { options: uPlot.Options; data: uPlot.AlignedData; redraws: number; destroyed: boolean }[] = [];
  const plot: PlotFactory = (options, data, target) => {
    const call = { options, data, redraws: 0, destroyed: false };
    calls.push(call);
    return { root: target, redraw: () => void call.redraws++, setSize() {}, destroy: () => void (call.destroyed = true) };
  };
  return { plot, calls };
}

describe('the metric chart', () => {
  it('accepts the series query_metrics produces, with or without a level shift', () => {
    assert.ok(seriesChartData.safeParse(shifted).success);
    const { change: _, ...plain } = shifted;
    assert.ok(seriesChartData.safeParse(plain).success);
  });

  it('rejects data it could not draw truthfully', () => {
    const p = shifted.points;
    for (const [why, data] of [
      ['another kind', { ...shifted, kind: 'table' }],
      ['one point', { ...shifted, points: [p[0]] }],
      ['a value that is not a number', { ...shifted, points: [p[0], { t: at(14, 0), v: '0.1' }] }],
      ['NaN', { ...shifted, points: [p[0], { t: at(14, 0), v: Number.NaN }] }],
      ['Infinity', { ...shifted, points: [p[0], { t: at(14, 0), v: Number.POSITIVE_INFINITY }] }],
      ['a time before 1970', { ...shifted, points: [{ t: -1, v: 1 }, p[1]] }],
      ['a time no Date can hold', { ...shifted, points: [p[0], { t: 9e15, v: 1 }] }],
      ['points out of order', { ...shifted, points: [p[1], p[0]] }],
      ['too many points', { ...shifted, points: Array.from({ length: 1001 }, (_, i) => ({ t: i, v: i })) }],
      ['a label as long as a log', { ...shifted, label: 'x'.repeat(301) }],
      ['a malformed shift', { ...shifted, change: { t: at(14, 5), before: 'low' } }],
      ['no points', { kind: 'series', label: 'x' }],
      ['not an object', 'series'],
    ] as const) {
      assert.equal(seriesChartData.safeParse(data).success, false, why);
    }
  });

  it('draws nothing, and does not throw, for data it rejects', () => {
    const { doc } = page();
    const { plot, calls } = recordingPlot();
    for (const data of [undefined, null, 42, { kind: 'series' }, { ...shifted, points: 'all' }]) assert.equal(metricChart(doc, data, plot), undefined);
    assert.equal(calls.length, 0);
  });

  it('says in words what the chart shows: range, min, max, last and the shift', () => {
    assert.equal(describeSeries(shifted), 'latency_p95 of payments: 4 points from 2026-11-20 13:55 UTC to 14:10 UTC; min 0.1, max 3.05, last 3.05; level shift at 14:05 UTC from 0.105 to 2.975.');
    const overnight: SeriesChartData = {
      kind: 'series',
      label: 'throughput of checkout-api',
      points: [
        { t: Date.UTC(2026, 10, 20, 23, 50), v: 1234.5678 },
        { t: Date.UTC(2026, 10, 21, 0, 10), v: 2000 },
      ],
    };
    assert.equal(describeSeries(overnight), 'throughput of checkout-api: 2 points from 2026-11-20 23:50 UTC to 2026-11-21 00:10 UTC; min 1,235, max 2,000, last 2,000.');
  });

  it('gives the canvas that description as its accessible name, and the label as a caption', () => {
    const { doc } = page();
    const { plot, calls } = recordingPlot();
    const figure = metricChart(doc, shifted, plot)!;
    assert.equal(figure.querySelector('figcaption')!.textContent, 'latency_p95 of payments');
    const img = figure.querySelector('[role="img"]')!;
    assert.equal(img.getAttribute('aria-label'), describeSeries(shifted));
    assert.equal(calls[0]!.data[0].length, 4);
    assert.deepEqual(calls[0]!.data, [shifted.points.map((p) => p.t / 1000), shifted.points.map((p) => p.v)]);
  });

  it('takes its colours from the VS Code theme when it draws, so a theme change repaints it', () => {
    const { doc } = page();
    doc.body.style.setProperty('--vscode-charts-blue', '#0000ff');
    doc.body.style.setProperty('--vscode-foreground', '#cccccc');
    const options = chartOptions(doc, shifted, 400);
    const line = options.series[1]!.stroke as () => string;
    const axis = options.axes![0]!.stroke as () => string;
    assert.equal(line(), '#0000ff');
    assert.equal(axis(), '#cccccc');
    // What VS Code does on a switch to Light+ or High Contrast.
    doc.body.style.setProperty('--vscode-charts-blue', '#1a85ff');
    assert.equal(line(), '#1a85ff');
  });

  it('labels time in UTC, as the logs and the tool do, whatever the local time zone', () => {
    const tz = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const { doc } = page();
      const options = chartOptions(doc, shifted, 400);
      const date = options.tzDate!(at(14, 5) / 1000);
      assert.deepEqual([date.getHours(), date.getMinutes()], [14, 5]);
      const timeLabels = options.axes![0]!.values as (u: unknown, splits: number[]) => string[];
      assert.deepEqual(timeLabels(undefined, [at(13, 55) / 1000, at(14, 5) / 1000]), ['13:55', '14:05']);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('marks the level shift: a line at its time and the means before and after it', () => {
    const { doc } = page();
    doc.body.style.setProperty('--vscode-charts-orange', '#ff8800');
    const draw = chartOptions(doc, shifted, 400).hooks!.draw![0]!;
    const strokes: [string, number, number][] = [];
    const labels: [string, string, string, number, number][] = [];
    let strokeStyle = '';
    const ctx = {
      save() {},
      restore() {},
      beginPath() {},
      setLineDash() {},
      stroke() {},
      textAlign: '',
      textBaseline: '',
      fillText(text: string, x: number, y: number) {
        labels.push([text, this.textAlign, this.textBaseline, x, y]);
      },
      set strokeStyle(v: string) {
        strokeStyle = v;
      },
      moveTo: (x: number, y: number) => strokes.push([`move ${strokeStyle}`, x, y]),
      lineTo: (x: number, y: number) => strokes.push([`line ${strokeStyle}`, x, y]),
    };
    // x: one canvas pixel per second from 13:55; y: 100 pixels per unit, upside down.
    const u = { ctx, bbox: { left: 0, top: 0, width: 900, height: 400 }, root: doc.body, valToPos: (v: number, scale: string) => (scale === 'x' ? v - at(13, 55) / 1000 : 400 - v * 100) };
    draw(u as unknown as uPlot);
    const x = 600;
    assert.deepEqual(strokes, [
      ['move #ff8800', x, 0],
      ['line #ff8800', x, 400],
      ['move #ff8800', 0, 400 - 10.5],
      ['line #ff8800', x, 400 - 10.5],
      ['move #ff8800', x, 400 - 297.5],
      ['line #ff8800', 900, 400 - 297.5],
    ]);
    // Named left of the line, at the top: the mean before the shift runs low on that side.
    assert.deepEqual(labels, [['level shift', 'right', 'top', x - 4, 2]]);
    const { change: _, ...plain } = shifted;
    assert.equal(chartOptions(doc, plain, 400).hooks!.draw, undefined, 'no shift, no mark');
  });

  it('repaints its charts when the theme changes, and lets go of those no longer shown', async () => {
    const { doc } = page();
    const { plot, calls } = recordingPlot();
    watchThemeChanges(doc);
    const shown = metricChart(doc, shifted, plot)!;
    doc.body.append(shown);
    metricChart(doc, shifted, plot); // never placed, as after the transcript is reset
    doc.body.className = 'vscode-high-contrast';
    await new Promise((r) => setTimeout(r, 0));
    assert.deepEqual(
      calls.map((c) => [c.redraws, c.destroyed]),
      [
        [1, false],
        [0, true],
      ],
    );
  });
});

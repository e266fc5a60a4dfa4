import uPlot from 'uplot';
import * as z from 'zod/mini';

/*
 * The chart in a query_metrics tool card. Its data (`tool_result.data`, made by
 * src/tools/metrics/queryMetrics.ts) is untrusted like every event field — a past run's ledger is
 * a file anyone can edit — so its shape is checked before anything is drawn: bad data draws no
 * chart and never throws. uPlot draws on a canvas and sets its few styles through the CSSOM,
 * which the panel's CSP (no inline styles) allows; its stylesheet is linked by the panel.
 */

/** Far more than the engine sends (it downsamples to 60 points): a bound on the work, not a rule of the tool. */
const MAX_POINTS = 1000;
/** Epoch milliseconds a Date can hold. */
const time = z.number().check(z.minimum(0), z.maximum(8.64e15));
const point = z.object({ t: time, v: z.number() });

export const seriesChartData = z
  .object({
    kind: z.literal('series'),
    label: z.string().check(z.maxLength(300)),
    points: z.array(point).check(z.minLength(2), z.maxLength(MAX_POINTS)),
    /** The level shift the tool found, when it found one: from `before` (mean) to `after` at `t`. */
    change: z.optional(z.object({ t: time, before: z.number(), after: z.number() })),
  })
  .check(z.refine((s) => s.points.every((p, i) => i === 0 || p.t >= s.points[i - 1]!.t), 'points out of time order'));
export type SeriesChartData = z.infer<typeof seriesChartData>;

const CHART_HEIGHT = 140;
const GUESSED_WIDTH = 480;

/** What uPlot gives back, as far as this module uses it: small enough for a test to stand in for it. */
export type Plot = Pick<uPlot, 'root' | 'redraw' | 'setSize' | 'destroy'>;
export type PlotFactory = (options: uPlot.Options, data: uPlot.AlignedData, target: HTMLElement) => Plot;
const uPlotFactory: PlotFactory = (options, data, target) => new uPlot(options, data, target);

/** Charts on the page, so a theme change can repaint them in the new colours. */
const live = new Set<Plot>();

/**
 * A figure charting `data`, or undefined when `data` is not a series to chart (or drawing failed).
 * The canvas starts at a guessed width and follows its box once the caller has placed the figure.
 */
export function metricChart(doc: Document, data: unknown, plot: PlotFactory = uPlotFactory): HTMLElement | undefined {
  const parsed = seriesChartData.safeParse(data);
  if (!parsed.success) return undefined;
  const series = parsed.data;
  const figure = doc.createElement('figure');
  figure.className = 'metric-chart';
  const caption = doc.createElement('figcaption');
  caption.textContent = series.label;
  const canvasHost = doc.createElement('div');
  canvasHost.className = 'metric-chart-plot';
  // The canvas says nothing to a screen reader: the label does, in numbers.
  canvasHost.setAttribute('role', 'img');
  canvasHost.setAttribute('aria-label', describeSeries(series));
  figure.append(caption, canvasHost);
  try {
    const chart = plot(chartOptions(doc, series, GUESSED_WIDTH), [series.points.map((p) => p.t / 1000), series.points.map((p) => p.v)], canvasHost);
    live.add(chart);
    const resize = doc.defaultView?.ResizeObserver;
    if (resize) new resize(() => canvasHost.clientWidth > 0 && chart.setSize({ width: canvasHost.clientWidth, height: CHART_HEIGHT })).observe(canvasHost);
    return figure;
  } catch (err) {
    console.warn(`Incident Triage: chart not drawn: ${(err as Error).message}`);
    return undefined;
  }
}

/** VS Code sets its theme as CSS variables and classes on <body>: repaint the charts when they change. */
export function watchThemeChanges(doc: Document): void {
  const observer = doc.defaultView?.MutationObserver;
  if (!observer) return;
  new observer(() => {
    for (const chart of live) {
      if (chart.root.isConnected) chart.redraw();
      else {
        chart.destroy();
        live.delete(chart);
      }
    }
  }).observe(doc.body, { attributes: true, attributeFilter: ['class', 'style', 'data-vscode-theme-kind'] });
}

/** The chart in words, for screen readers: range, extremes, last value, the level shift. */
export function describeSeries(s: SeriesChartData): string {
  const values = s.points.map((p) => p.v);
  const first = s.points[0]!;
  const last = s.points.at(-1)!;
  const parts = [
    `${s.label}: ${s.points.length} points from ${utc(first.t, true)} to ${utc(last.t, !sameDay(first.t, last.t))}`,
    `min ${compact(Math.min(...values))}, max ${compact(Math.max(...values))}, last ${compact(last.v)}`,
  ];
  if (s.change) parts.push(`level shift at ${utc(s.change.t, false)} from ${compact(s.change.before)} to ${compact(s.change.after)}`);
  return `${parts.join('; ')}.`;
}

const compact = (v: number) => v.toLocaleString('en-US', { maximumSignificantDigits: 4 });
const sameDay = (a: number, b: number) => new Date(a).toISOString().slice(0, 10) === new Date(b).toISOString().slice(0, 10);
const utc = (t: number, withDate: boolean) =>
  `${new Date(t)
    .toISOString()
    .slice(withDate ? 0 : 11, 16)
    .replace('T', ' ')} UTC`;

/** A theme colour, read when drawing so that a repaint after a theme change picks up the new one. */
function themeColour(doc: Document, variable: string, fallback: string): () => string {
  return () => doc.defaultView?.getComputedStyle(doc.body).getPropertyValue(variable).trim() || fallback;
}

export function chartOptions(doc: Document, s: SeriesChartData, width: number): uPlot.Options {
  const foreground = themeColour(doc, '--vscode-foreground', '#888');
  const lines = themeColour(doc, '--vscode-charts-lines', '#8884');
  const line = themeColour(doc, '--vscode-charts-blue', '#3794ff');
  const shift = themeColour(doc, '--vscode-charts-orange', '#d18616');
  const family = doc.defaultView?.getComputedStyle(doc.body).getPropertyValue('--vscode-font-family').trim() || 'sans-serif';
  const font = `11px ${family}`;
  const axis = { stroke: foreground, font, grid: { stroke: lines, width: 1 }, ticks: { stroke: lines, width: 1 } };
  return {
    width,
    height: CHART_HEIGHT,
    // Logs and the tool speak UTC; so does the time axis, ticks on round UTC minutes.
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: true } },
    series: [{}, { label: s.label, stroke: line, width: 1.5, points: { show: false } }],
    axes: [
      // 24-hour UTC, as the tool's text and the logs write it ("14:05"), not the locale's "2:05pm".
      { ...axis, size: 28, values: (_u, splits) => splits.map((seconds) => new Date(seconds * 1000).toISOString().slice(11, 16)) },
      { ...axis, size: 52, space: 24, values: (_u, splits) => splits.map(compact) },
    ],
    hooks: s.change ? { draw: [(u) => drawLevelShift(u, s.change!, shift(), family)] } : {},
  };
}

/** A dashed vertical line where the level shifts, and the means before and after it. */
function drawLevelShift(u: uPlot, change: NonNullable<SeriesChartData['change']>, colour: string, family: string): void {
  const x = u.valToPos(change.t / 1000, 'x', true);
  const { left, top, width, height } = u.bbox;
  if (!(x >= left && x <= left + width)) return;
  const ratio = u.root.ownerDocument.defaultView?.devicePixelRatio ?? 1;
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.fillStyle = colour;
  ctx.lineWidth = ratio;
  ctx.setLineDash([4 * ratio, 3 * ratio]);
  ctx.beginPath();
  ctx.moveTo(x, top);
  ctx.lineTo(x, top + height);
  ctx.moveTo(left, u.valToPos(change.before, 'y', true));
  ctx.lineTo(x, u.valToPos(change.before, 'y', true));
  ctx.moveTo(x, u.valToPos(change.after, 'y', true));
  ctx.lineTo(left + width, u.valToPos(change.after, 'y', true));
  ctx.stroke();
  // The label sits on the side of the line with more room, away from the mean drawn on that side.
  const leftSide = x - left > width / 4;
  const meanOnLabelSide = u.valToPos(leftSide ? change.before : change.after, 'y', true);
  ctx.font = `${11 * ratio}px ${family}`;
  ctx.textAlign = leftSide ? 'right' : 'left';
  ctx.textBaseline = meanOnLabelSide < top + height / 2 ? 'bottom' : 'top';
  ctx.fillText('level shift', x + (leftSide ? -4 : 4) * ratio, ctx.textBaseline === 'top' ? top + 2 * ratio : top + height - 2 * ratio);
  ctx.restore();
}

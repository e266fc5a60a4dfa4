import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { TriageEvent } from '../../../src/shared/events';
import type { PanelToHost } from '../../../src/webview/protocol';
import { metricChart, type PlotFactory } from '../../../src/webview/ui/metricChart';
import { Transcript } from '../../../src/webview/ui/transcript';

/** Markup a log line, a tool's output or the model could carry. */
export const HOSTILE = '<img src=x onerror="document.title=\'pwned\'"><script>document.title="pwned"</script><a href="javascript:alert(1)">x</a>';

/**
 * The panel's Transcript in Node, on jsdom: the DOM that DOMPurify is built and tested against
 * (under happy-dom it keeps <script> and on* handlers; under linkedom it returns its input), so
 * the sanitizer runs here as it does in the webview.
 */
export function panel(options: { plot?: PlotFactory } = {}) {
  const dom = new JSDOM('<!DOCTYPE html><body><main id="transcript"></main></body>');
  const doc = dom.window.document;
  const root = doc.getElementById('transcript')!;
  const posted: PanelToHost[] = [];
  const plots: Parameters<PlotFactory>[] = [];
  const plot: PlotFactory =
    options.plot ??
    ((...args) => {
      plots.push(args);
      args[2].append(doc.createElement('canvas'));
      return { root: args[2], redraw() {}, setSize() {}, destroy() {} };
    });
  const transcript = new Transcript(root, { post: (m) => posted.push(m), chart: (data) => metricChart(doc, data, plot) });
  const apply = (...events: TriageEvent[]) => {
    for (const e of events) transcript.apply(e);
    transcript.flushText();
  };
  return { dom, doc, root, transcript, apply, posted, plots };
}

/** Nothing under `root` that runs, loads or navigates. */
export function assertInert(root: Element): void {
  assert.equal(root.querySelectorAll('script, img, iframe, object, embed, style, form, input, a[href], [src], [srcset]').length, 0, root.innerHTML);
  for (const node of root.querySelectorAll('*')) {
    for (const attr of node.attributes) assert.ok(!/^on/i.test(attr.name), `${node.tagName} has ${attr.name}`);
  }
}

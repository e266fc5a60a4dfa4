import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import type { TriageEvent } from '../../shared/events';
import type { PanelToHost } from '../protocol';
import { readHostToPanel } from '../readHostToPanel';
import { metricChart, watchThemeChanges } from './metricChart';
import { Transcript } from './transcript';

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();
const post = (message: PanelToHost) => vscode.postMessage(message);

const $ = <T extends HTMLElement>(selector: string) => document.querySelector(selector) as T;

const transcript = new Transcript($('#transcript'), { post, chart: (data) => metricChart(document, data) });
watchThemeChanges(document);
const queue: TriageEvent[] = [];
let scheduled = false;
let busy = false;
let started = false;
let readOnly = false;

/** Follow the stream unless the user scrolled up to read something. */
let following = true;
window.addEventListener('scroll', () => {
  following = window.innerHeight + window.scrollY >= document.body.scrollHeight - 40;
});

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    for (const e of queue.splice(0)) {
      if (e.type === 'run_started') started = true;
      transcript.apply(e);
    }
    transcript.flushText();
    updateControls();
    if (following) window.scrollTo({ top: document.body.scrollHeight });
  });
}

function updateControls(): void {
  $('#start-form').hidden = started || readOnly;
  $('#follow-up-form').hidden = !started || busy || readOnly;
  $('#cancel').hidden = !busy;
  $('#status').textContent = busy ? 'Investigating…' : started ? 'Done' : '';
}

function submit(textarea: string, make: (text: string) => PanelToHost): void {
  const input = $<HTMLTextAreaElement>(textarea);
  const text = input.value.trim();
  if (!text || busy) return;
  post(make(text));
  input.value = '';
}

$('#start').addEventListener('click', () => submit('#description', (description) => ({ type: 'start', description })));
$('#ask').addEventListener('click', () => submit('#question', (question) => ({ type: 'followUp', question })));
$('#cancel').addEventListener('click', () => post({ type: 'cancel' }));
for (const id of ['#description', '#question']) {
  $(id).addEventListener('keydown', (k: KeyboardEvent) => {
    if (k.key === 'Enter' && (k.ctrlKey || k.metaKey)) $<HTMLElement>(id === '#description' ? '#start' : '#ask').click();
  });
}

window.addEventListener('message', (event: MessageEvent) => {
  const read = readHostToPanel(event.data);
  if (!read) return; // not ours, or a malformed envelope: dropped
  const { message, rejected } = read;
  // One event the panel cannot read is left out, and said so here; the rest of the batch is shown.
  for (const r of rejected) console.warn(`Incident Triage: event ${r.index} (${r.type}) dropped: ${r.problem}`);
  if (message.type === 'init') {
    transcript.reset();
    queue.length = 0;
    started = false;
    busy = message.busy;
    readOnly = message.readOnly;
    if (message.logFile) $('#scope').textContent = `Starting from ${message.logFile}`;
    queue.push(...message.events);
  } else if (message.type === 'events') {
    queue.push(...message.events);
  } else {
    busy = message.busy;
  }
  schedule();
});

post({ type: 'ready' });

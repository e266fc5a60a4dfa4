import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { TriageEvent } from '../shared/events';
import { checkEvent } from '../shared/eventSchemas';
import { LineFormat, type LineReader } from '../shared/versionedLines';
import { upgradeReportEvent } from './reportBeforeChecks';

/** The events' one schema set (shared with the panel), each line checked against its type's schema. */
const events: LineReader<TriageEvent> = {
  safeParse: (raw) => {
    const checked = checkEvent(raw);
    return checked.ok ? { success: true, data: checked.event } : { success: false };
  },
};
/** Versions 0 (lines without `v`) and 1 hold the same events; their reports predate evidence checks (version 2). */
const beforeChecks: LineReader<TriageEvent> = { safeParse: (raw) => events.safeParse(upgradeReportEvent(raw)) };
const RUN_LOG = new LineFormat<TriageEvent>([beforeChecks, beforeChecks, events]);

/**
 * Appends every event of a run as one JSON line to `<dir>/runs/<runId>.jsonl`, synchronously,
 * so a run killed mid-way leaves every event before the kill readable. Token deltas are
 * coalesced: a step's streamed text and reasoning are written as one event each when the step's
 * stream ends, so the ledger can replay the transcript without a line per token.
 */
export class EventLog {
  private readonly file: string;
  private text: Extract<TriageEvent, { type: 'text_delta' }> | undefined;
  private thinking: Extract<TriageEvent, { type: 'thinking_delta' }> | undefined;

  constructor(dir: string, runId: string) {
    const runs = path.join(dir, 'runs');
    mkdirSync(runs, { recursive: true });
    this.file = path.join(runs, `${runId}.jsonl`);
  }

  get path(): string {
    return this.file;
  }

  append(event: TriageEvent): void {
    switch (event.type) {
      case 'tool_input_delta':
        return;
      case 'thinking_delta':
        this.flushText();
        this.thinking = this.thinking ? { ...this.thinking, text: this.thinking.text + event.text } : event;
        return;
      case 'text_delta':
        this.flushThinking();
        this.text = this.text ? { ...this.text, text: this.text.text + event.text } : event;
        return;
      case 'step_started':
        // A retried step's partial stream is not part of the transcript.
        if (event.attempt) this.text = this.thinking = undefined;
        break;
      // Anything else ends a streamed block: what was coalesced so far is written first, in order.
      case 'run_started':
      case 'first_look':
      case 'retrying':
      case 'model_fallback':
      case 'tool_call_started':
      case 'tool_call_ready':
      case 'tool_result':
      case 'usage':
      case 'report':
      case 'run_finished':
      case 'error':
        this.flushThinking();
        this.flushText();
    }
    this.write(event);
  }

  private flushText(): void {
    if (this.text) this.write(this.text);
    this.text = undefined;
  }

  private flushThinking(): void {
    if (this.thinking) this.write(this.thinking);
    this.thinking = undefined;
  }

  private write(event: TriageEvent): void {
    appendFileSync(this.file, RUN_LOG.line({ at: new Date().toISOString(), ...event }));
  }
}

export interface RunLog {
  file: string;
  events: TriageEvent[];
  /** Lines that could not be read (a run killed mid-write leaves a truncated last line): skipped. */
  skipped: number;
  /** Of `skipped`, lines written by a newer version of the extension or CLI. */
  newer: number;
}

/** Reads one run's log, skipping unreadable lines instead of failing. */
export function readRunLog(file: string): RunLog {
  const { records, skipped, newer } = RUN_LOG.parse(readFileSync(file, 'utf8'));
  return { file, events: records, skipped, newer };
}

/** Every run log under `<dir>/runs`, newest first. */
export function listRunLogs(dir: string): string[] {
  const runs = path.join(dir, 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => path.join(runs, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}

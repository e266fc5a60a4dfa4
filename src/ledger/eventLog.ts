import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { TriageEvent } from '../agent/events';

/**
 * Appends every event of a run as one JSON line to `<dir>/runs/<runId>.jsonl`. Each line is
 * written synchronously, so a run killed mid-way leaves every event before the kill readable.
 * Streaming deltas are left out: the usage and result events carry what an audit needs.
 */
export class EventLog {
  private readonly file: string;

  constructor(dir: string, runId: string) {
    const runs = path.join(dir, 'runs');
    mkdirSync(runs, { recursive: true });
    this.file = path.join(runs, `${runId}.jsonl`);
  }

  get path(): string {
    return this.file;
  }

  append(event: TriageEvent): void {
    if (event.type === 'text_delta' || event.type === 'thinking_delta' || event.type === 'tool_input_delta') return;
    appendFileSync(this.file, `${JSON.stringify({ at: new Date().toISOString(), ...event })}\n`);
  }
}

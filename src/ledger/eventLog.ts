import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
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

export interface RunLog {
  file: string;
  events: TriageEvent[];
  /** Lines that could not be read (a run killed mid-write leaves a truncated last line): skipped. */
  skipped: number;
}

/** Reads one run's log, skipping unreadable lines instead of failing. */
export function readRunLog(file: string): RunLog {
  const events: TriageEvent[] = [];
  let skipped = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const event = JSON.parse(line) as TriageEvent;
      if (typeof event.type === 'string') events.push(event);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { file, events, skipped };
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

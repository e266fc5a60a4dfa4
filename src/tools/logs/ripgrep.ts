import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { LogLine } from './lineReader';

/** The first `rg` on PATH, or undefined. VS Code passes the copy it ships instead. */
export function findRipgrepOnPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, process.platform === 'win32' ? 'rg.exe' : 'rg');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface RipgrepQuery {
  pattern: string;
  literal: boolean;
  caseSensitive: boolean;
  context: number;
}

export interface RipgrepHit {
  line: LogLine;
  /** Byte offset of the line in the file. */
  offset: number;
  before: LogLine[];
  after: LogLine[];
}

/** ripgrep reports a bad pattern with exit code 2 and a message on stderr. */
export class RipgrepError extends Error {}

type RgMessage =
  | { type: 'match' | 'context'; data: { lines: { text?: string; bytes?: string }; line_number: number; absolute_offset: number } }
  | { type: 'begin' | 'end' | 'summary'; data: unknown };

/**
 * Streams the matching lines of one file from `rg --json`, with their context, in file order.
 * ripgrep's regex engine runs in linear time, so no pattern can hang it.
 */
export async function* ripgrepFile(rg: string, file: string, query: RipgrepQuery, signal: AbortSignal): AsyncGenerator<RipgrepHit> {
  const args = ['--json', '--no-config', '--line-number', '--no-ignore', '--hidden', '--text'];
  if (query.literal) args.push('--fixed-strings');
  if (!query.caseSensitive) args.push('--ignore-case');
  if (query.context > 0) args.push('--context', String(query.context));
  args.push('--regexp', query.pattern, '--', file);

  const child = spawn(rg, args, { stdio: ['ignore', 'pipe', 'pipe'], signal });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  exited.catch(() => undefined);

  let pending: RipgrepHit | undefined;
  let before: LogLine[] = [];
  try {
    for await (const raw of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
      const msg = JSON.parse(raw) as RgMessage;
      if (msg.type !== 'match' && msg.type !== 'context') continue;
      const line: LogLine = { number: msg.data.line_number, text: lineText(msg.data.lines) };
      if (msg.type === 'context') {
        // A context line can follow one match and precede the next.
        if (pending && line.number > pending.line.number && pending.after.length < query.context) pending.after.push(line);
        before.push(line);
        if (before.length > query.context) before.shift();
        continue;
      }
      if (pending) yield pending;
      pending = { line, offset: msg.data.absolute_offset, before: before.filter((b) => b.number < line.number), after: [] };
      before = [];
    }
    if (pending) yield pending;
    const code = await exited;
    if (code === 2) throw new RipgrepError(stderr.trim().split('\n').slice(-3).join(' ') || 'ripgrep failed');
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

function lineText(lines: { text?: string; bytes?: string }): string {
  const text = lines.text ?? Buffer.from(lines.bytes ?? '', 'base64').toString('utf8');
  return text.replace(/\r?\n$/, '');
}

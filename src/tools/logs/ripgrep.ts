import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { childEnv } from '../../security/childEnv';
import type { LogLine } from './lineReader';

/**
 * The first `rg` in an absolute folder on PATH, or undefined. VS Code passes the copy it ships
 * instead. A relative entry (".") is skipped: it would find an `rg` planted in the workspace.
 */
export function findRipgrepOnPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue;
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
  /** Index of the file in the list given to ripgrepFiles. */
  fileIndex: number;
  line: LogLine;
  /** Byte offset of the line in the file. */
  offset: number;
  before: LogLine[];
  after: LogLine[];
}

/**
 * ripgrep exits with code 2 on an error: a pattern its dialect refuses (before searching
 * anything), or files it could not read (after searching the others).
 */
export class RipgrepError extends Error {
  constructor(
    message: string,
    /** False when nothing was searched: the pattern was refused. */
    readonly searched: boolean,
  ) {
    super(message);
  }
}

/**
 * Command lines are bounded: Windows takes 32,767 characters in all, Linux 2 MiB of arguments
 * and environment. Files beyond this many characters of paths go to a further ripgrep process.
 */
const MAX_PATH_CHARS_PER_PROCESS = process.platform === 'win32' ? 24_000 : 512 * 1024;

type RgMessage =
  | { type: 'match' | 'context'; data: { lines: RgText; line_number: number; absolute_offset: number } }
  | { type: 'begin'; data: { path: RgText } }
  | { type: 'end'; data: unknown }
  | { type: 'summary'; data: unknown };
type RgText = { text?: string; bytes?: string };

/**
 * Streams the matching lines of `files` with their context from `rg --json`: file after file in
 * the order given, lines in file order. Many files share one process (one process per file made
 * a search over 10,000 small logs take half a minute); one thread keeps the order.
 * ripgrep's regex engine runs in linear time, so no pattern can hang it.
 */
export async function* ripgrepFiles(rg: string, files: readonly string[], query: RipgrepQuery, signal: AbortSignal, maxPathChars = MAX_PATH_CHARS_PER_PROCESS): AsyncGenerator<RipgrepHit> {
  const indexOf = new Map(files.map((file, i) => [file, i]));
  for (const batch of batchesOf(files, maxPathChars)) yield* ripgrepProcess(rg, batch, indexOf, query, signal);
}

function* batchesOf(files: readonly string[], maxPathChars: number): Generator<string[]> {
  let batch: string[] = [];
  let chars = 0;
  for (const file of files) {
    if (batch.length > 0 && chars + file.length + 1 > maxPathChars) {
      yield batch;
      batch = [];
      chars = 0;
    }
    batch.push(file);
    chars += file.length + 1;
  }
  if (batch.length > 0) yield batch;
}

async function* ripgrepProcess(rg: string, files: readonly string[], indexOf: ReadonlyMap<string, number>, query: RipgrepQuery, signal: AbortSignal): AsyncGenerator<RipgrepHit> {
  const args = ['--json', '--no-config', '--threads', '1', '--line-number', '--no-ignore', '--hidden', '--text'];
  if (query.literal) args.push('--fixed-strings');
  if (!query.caseSensitive) args.push('--ignore-case');
  if (query.context > 0) args.push('--context', String(query.context));
  args.push('--regexp', query.pattern, '--', ...files);

  const child = spawn(rg, args, { stdio: ['ignore', 'pipe', 'pipe'], signal, env: childEnv() });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-2000)));
  const exited = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
  exited.catch(() => undefined);

  let fileIndex = -1;
  let pending: RipgrepHit | undefined;
  let before: LogLine[] = [];
  let searched = false;
  try {
    for await (const raw of createInterface({ input: child.stdout, crlfDelay: Infinity })) {
      const msg = JSON.parse(raw) as RgMessage;
      if (msg.type === 'begin') {
        fileIndex = indexOf.get(textOf(msg.data.path)) ?? -1;
        continue;
      }
      if (msg.type === 'end' || msg.type === 'summary') {
        // Context never crosses from one file to the next.
        if (pending) yield pending;
        pending = undefined;
        before = [];
        searched = true;
        continue;
      }
      if (fileIndex < 0) continue; // a path ripgrep spelled differently (not UTF-8): nothing to attribute it to
      const line: LogLine = { number: msg.data.line_number, text: textOf(msg.data.lines).replace(/\r?\n$/, '') };
      if (msg.type === 'context') {
        // A context line can follow one match and precede the next.
        if (pending && line.number > pending.line.number && pending.after.length < query.context) pending.after.push(line);
        before.push(line);
        if (before.length > query.context) before.shift();
        continue;
      }
      if (pending) yield pending;
      pending = { fileIndex, line, offset: msg.data.absolute_offset, before: before.filter((b) => b.number < line.number), after: [] };
      before = [];
    }
    if (pending) yield pending;
    const code = await exited;
    if (code === 2) throw new RipgrepError(stderr.trim().split('\n').slice(-3).join(' ') || 'ripgrep failed', searched);
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

function textOf(value: RgText): string {
  return value.text ?? Buffer.from(value.bytes ?? '', 'base64').toString('utf8');
}

import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool } from '../registry';
import { DEFAULTS } from '../../shared/settings';
import type { LogToolSettings } from './settings';
import { GLOB_CHARS, findWorkspaceFiles } from '../workspaceFiles';
import { nonFileKind, withRegularFile } from '../regularFile';
import { resolveInWorkspace } from '../../security/confinement';
import { TimestampParser } from './timestamps';
import { readHead, sniffContent } from './sniff';

/** Plain logs, numbered rotations (`app.log.1`), gzipped rotations, `logs/` folders, JSON lines. */
const SNIFF_BYTES = 64 * 1024;
const MAX_LISTED = 200;

export type LogFormat = 'plain' | 'jsonl' | 'gzip' | 'binary' | 'empty';

export interface LogFileInfo {
  path: string;
  sizeBytes: number;
  modified: string;
  format: LogFormat;
  firstTimestamp?: string;
  lastTimestamp?: string;
}

const input = z.object({
  glob: z.string().min(1).max(200).optional().describe('Optional workspace-relative glob to narrow the listing, e.g. "logs/payments/**" or "**/*.jsonl". Default: all log files.'),
});

export const listLogFilesTool = (settings: LogToolSettings) =>
  defineTool({
    name: 'list_log_files',
    description:
      'Use this first, to see which log files the workspace holds: each with its size, last-modified time, ' +
      'format (plain, jsonl, gzip) and the time span it covers (first and last timestamp, UTC). ' +
      'Pick the files whose time span covers the incident before searching them. ' +
      'Example: {} lists everything; {"glob": "logs/nginx/**"} lists one folder.',
    input,
    risk: 'read-only',
    async run({ glob: pattern }, ctx) {
      const files = await findWorkspaceFiles(ctx.workspaceRoots, pattern ? [pattern] : (settings.globs ?? DEFAULTS.logGlobs), settings.exclude);
      if (files.length === 0) {
        if (!pattern) return { text: `The workspace has no log files (looked for ${(settings.globs ?? DEFAULTS.logGlobs).join(', ')}).` };
        return { text: (await whyNotListed(ctx.workspaceRoots, pattern)) ?? `No log files match "${pattern}".` };
      }
      const shown = files.slice(0, MAX_LISTED);
      const infos = await Promise.all(shown.map((f) => describeLogFile(f.real, f.relative)));
      const lines = infos.map(formatInfo);
      const more = files.length > shown.length ? `\n[${files.length - shown.length} more files not listed; pass a narrower glob]` : '';
      return { text: `${files.length} log file${files.length === 1 ? '' : 's'} (path | size | format | modified | first → last timestamp, UTC):\n${lines.join('\n')}${more}` };
    },
  });

/** For a plain path that matched nothing: says when it names a folder (and how to list it) or a FIFO, socket or device. */
async function whyNotListed(roots: readonly string[], named: string): Promise<string | undefined> {
  if (GLOB_CHARS.test(named)) return undefined;
  const found = await resolveInWorkspace(roots, named).catch(() => undefined);
  const kind = found && nonFileKind(await stat(found.real));
  if (!kind) return undefined;
  if (kind === 'a folder') return `${found.relative} is a folder; list the log files in it with {"glob": "${found.relative}/**"}.`;
  return `${found.relative} is ${kind}, not a log file: it is neither listed nor read.`;
}

export async function describeLogFile(real: string, relative: string): Promise<LogFileInfo> {
  return withRegularFile(real, relative, async (handle, st) => {
    const info: LogFileInfo = { path: relative, sizeBytes: st.size, modified: st.mtime.toISOString(), format: 'plain' };
    if (st.size === 0) return { ...info, format: 'empty' };
    const head = await readHead(handle, Math.min(SNIFF_BYTES, st.size));
    const kind = sniffContent(head);
    if (kind !== 'text') return { ...info, format: kind };
    const headText = head.toString('utf8');
    const firstLine = headText.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
    info.format = firstLine.trimStart().startsWith('{') ? 'jsonl' : 'plain';
    const parser = new TimestampParser(st.mtimeMs);
    info.firstTimestamp = firstTimestampIn(headText.split(/\r?\n/), parser);
    const tailStart = Math.max(0, st.size - SNIFF_BYTES);
    const tail = Buffer.alloc(st.size - tailStart);
    await handle.read(tail, 0, tail.length, tailStart);
    info.lastTimestamp = firstTimestampIn(tail.toString('utf8').split(/\r?\n/).reverse(), parser);
    return info;
  });
}

function firstTimestampIn(lines: readonly string[], parser: TimestampParser): string | undefined {
  for (const line of lines) {
    const ms = parser.parse(line)?.ms;
    if (ms !== undefined) return new Date(ms).toISOString();
  }
  return undefined;
}

function formatInfo(info: LogFileInfo): string {
  const span = info.firstTimestamp ? `${info.firstTimestamp} → ${info.lastTimestamp ?? '?'}` : 'no timestamps found';
  return `${info.path} | ${formatBytes(info.sizeBytes)} | ${info.format} | ${info.modified} | ${span}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

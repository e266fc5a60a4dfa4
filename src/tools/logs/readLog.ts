import { z } from 'zod';
import { defineTool } from '../registry';
import { readLines } from './lineReader';
import { MAX_SHOWN_LINE_CHARS, shownLine } from './lineCut';
import { resolveLogTargets } from './targets';
import type { LogToolSettings } from './settings';

export const MAX_READ_LINES = 200;

const input = z
  .object({
    file: z.string().min(1).describe('Workspace-relative path as list_log_files or search_logs showed it, e.g. "logs/payments/payments.log".'),
    start_line: z.number().int().min(1).optional().describe('First line to read (1-based). Use with end_line.'),
    end_line: z.number().int().min(1).optional().describe('Last line to read, at most 200 lines after start_line.'),
    around_line: z.number().int().min(1).optional().describe('Read the lines around this one instead of a range, e.g. the line a search found.'),
    radius: z.number().int().min(1).max(100).optional().describe('With around_line: lines before and after it (default 20).'),
  })
  .refine((a) => (a.around_line !== undefined) !== (a.start_line !== undefined && a.end_line !== undefined), {
    message: 'Give either start_line and end_line, or around_line (with an optional radius), not both.',
  })
  .refine((a) => a.start_line === undefined || a.end_line === undefined || a.end_line >= a.start_line, { message: 'end_line must not be before start_line.' });

export const readLogTool = (settings: LogToolSettings) =>
  defineTool({
    name: 'read_log',
    description:
      'Use this to read exact lines of one log file with their line numbers: a range {"file", "start_line", "end_line"} ' +
      'or the neighbourhood of a line {"file", "around_line", "radius"} (at most 200 lines). ' +
      'Read around the first error a search found to see what happened just before it. ' +
      'Example: {"file": "logs/app.log", "around_line": 1532, "radius": 15}.',
    input,
    risk: 'read-only',
    async run(args, ctx) {
      const { targets, notes } = await resolveLogTargets(ctx.workspaceRoots, [args.file], settings);
      const target = targets[0];
      if (!target) throw new Error(notes[0] ?? `Cannot read ${args.file}.`);
      const radius = args.radius ?? 20;
      const first = args.around_line !== undefined ? Math.max(1, args.around_line - radius) : args.start_line!;
      let last = args.around_line !== undefined ? args.around_line + radius : args.end_line!;
      let note = '';
      if (last - first + 1 > MAX_READ_LINES) {
        last = first + MAX_READ_LINES - 1;
        note = ` (capped at ${MAX_READ_LINES} lines; read on from line ${last + 1} if needed)`;
      }
      const out: string[] = [];
      let lastSeen = 0;
      for await (const line of readLines(target.real, ctx.signal)) {
        lastSeen = line.number;
        if (line.number < first) continue;
        if (line.number > last) break;
        out.push(`${line.number}| ${shownLine(line, MAX_SHOWN_LINE_CHARS * 2)}`);
      }
      if (out.length === 0) return { text: `${target.relative} has only ${lastSeen.toLocaleString('en-US')} lines; nothing at line ${first}.` };
      const end = out.length < last - first + 1 ? ` (end of file at line ${lastSeen})` : '';
      return { text: `${target.relative} lines ${first}-${first + out.length - 1}${note}${end}:\n${out.join('\n')}` };
    },
  });

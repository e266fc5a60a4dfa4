import { redactSecrets } from '../security/redaction';
import { NotAFileError, withRegularFile } from '../tools/regularFile';
import { GzipBombError } from '../tools/logs/lineReader';
import { readHead, sniffContent } from '../tools/logs/sniff';
import { NO_TEMPLATE, groupByTemplate, type TemplateGroup, type TemplateGrouping } from '../tools/logs/templateGroups';
import { WILDCARD } from '../tools/logs/templateMiner';
import type { TriageOptions } from './args';
import type { CliIo } from './runAndRender';
import { createStyle, sanitizeForTerminal } from './terminal';

/** Characters of a template shown in the table; the JSON document has them all. */
const MAX_SHOWN_TEMPLATE_CHARS = 300;
/** Line ids per piece of the JSON document, so a file of millions of lines streams out. */
const IDS_PER_PIECE = 64 * 1024;

/**
 * `incident-triage templates FILE`: the lines of one log grouped by template, as a table or a
 * JSON document. The file is the user's own choice on their own machine (not a model's tool
 * argument), so any readable path goes; nothing leaves the machine. Templates print as mined
 * unless --redact asks for the masking the model's inputs get: they already hide the variable
 * parts, but a constant word can still be a secret, and the output may be pasted elsewhere.
 */
export async function runTemplatesCommand(options: TriageOptions, io: CliIo): Promise<number> {
  const file = options.file!;
  const fail = (message: string) => {
    io.stderr.write(`incident-triage: ${message}\n`);
    return 1;
  };
  let grouping: TemplateGrouping;
  try {
    const kind = await withRegularFile(file, file, async (handle) => sniffContent(await readHead(handle, 8192)));
    if (kind === 'binary') return fail(`${file} looks like a binary file (it holds a NUL byte near its start), not a log.`);
    grouping = await groupByTemplate(file, { assignments: options.assignments, signal: io.signal });
  } catch (err) {
    if (io.signal?.aborted) return fail('cancelled.');
    const problem = readProblem(err);
    if (problem === undefined) throw err;
    return fail(`cannot read ${file}: ${problem}`);
  }
  if (options.redact) for (const group of options.json ? grouping.groups : grouping.groups.slice(0, options.limit)) group.template = (await redactSecrets(group.template)).text;
  if (options.json) await writePieces(io.stdout, jsonPieces(file, grouping));
  else io.stdout.write(table(file, grouping, options.limit, createStyle(Boolean(io.stdout.isTTY) && !io.env.NO_COLOR)));
  return 0;
}

/** What went wrong reading the file, in words, for the errors a file can cause; undefined for anything else (a bug). */
function readProblem(err: unknown): string | undefined {
  if (err instanceof NotAFileError) return `it is ${err.kind}, not a log file.`;
  if (err instanceof GzipBombError) return `${err.message}.`;
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file.';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied.';
  // zlib's errors (a damaged or cut .gz) and other I/O errors carry a code too.
  if (typeof code === 'string') return `${(err as Error).message} (${code}).`;
  return undefined;
}

function table(file: string, { lines, groups, untemplated }: TemplateGrouping, limit: number | undefined, style: ReturnType<typeof createStyle>): string {
  const fmt = (n: number) => n.toLocaleString('en-US');
  const shown = groups.slice(0, limit);
  const cells = shown.map((g) => [fmt(g.count), fmt(g.firstLine), fmt(g.lastLine), shownTemplate(g)] as const);
  const header = ['count', 'first', 'last', 'template'] as const;
  const widths = [0, 1, 2].map((i) => Math.max(header[i]!.length, ...cells.map((c) => c[i]!.length)));
  const row = (c: readonly string[]) =>
    `${c
      .slice(0, 3)
      .map((v, i) => v.padStart(widths[i]!))
      .join('  ')}  ${c[3]}`;
  const out = [
    `${sanitizeForTerminal(file)}: ${fmt(lines)} lines, ${fmt(groups.length)} templates (variable parts shown as ${WILDCARD}; first and last are line numbers)`,
    style.bold(row(header)),
    ...cells.map(row),
  ];
  if (shown.length < groups.length) out.push(style.dim(`[${fmt(groups.length - shown.length)} more templates not shown: --all shows every one, --limit N the N with most lines]`));
  if (untemplated) out.push(style.dim(`[${fmt(untemplated)} lines joined no template: the miner's template limit was reached]`));
  return `${out.join('\n')}\n`;
}

function shownTemplate(group: TemplateGroup): string {
  if (!group.template) return '(empty message)';
  const text = sanitizeForTerminal(group.template);
  return text.length > MAX_SHOWN_TEMPLATE_CHARS ? `${text.slice(0, MAX_SHOWN_TEMPLATE_CHARS)}…` : text;
}

/** The JSON document in pieces: a template per line, then the line ids a piece at a time. */
function* jsonPieces(file: string, { lines, groups, assignments }: TemplateGrouping): Generator<string> {
  const templates = groups.map((g) => JSON.stringify({ id: g.id, template: g.template, count: g.count, first_line: g.firstLine, last_line: g.lastLine }));
  yield `{"file":${JSON.stringify(file)},"lines":${lines},"templates":[${templates.length ? `\n${templates.join(',\n')}\n` : ''}]`;
  if (assignments) {
    yield ',"line_templates":[';
    let first = true;
    for (const block of assignments)
      for (let start = 0; start < block.length; start += IDS_PER_PIECE) {
        let piece = '';
        for (const id of block.subarray(start, start + IDS_PER_PIECE)) {
          piece += `${first ? '' : ','}${id === NO_TEMPLATE ? 'null' : id}`;
          first = false;
        }
        yield piece;
      }
    yield ']';
  }
  yield '}\n';
}

type Stream = CliIo['stdout'] & { destroyed?: boolean; once?(event: string, listener: () => void): unknown; off?(event: string, listener: () => void): unknown };

/**
 * Writes the pieces, waiting whenever the pipe is full, so a large document never piles up in
 * memory; stops as soon as the reader has gone (`| head` closes the pipe: a broken pipe is the
 * reader's choice, and index.ts keeps its EPIPE from failing the process).
 */
async function writePieces(out: Stream, pieces: Iterable<string>): Promise<void> {
  for (const piece of pieces) {
    if (out.destroyed) return;
    if (out.write(piece) === false && out.once && out.off) await drained(out as Required<Stream>);
  }
}

function drained(out: Required<Stream>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const event of ['drain', 'close', 'error']) out.off(event, done);
      resolve();
    };
    for (const event of ['drain', 'close', 'error']) out.once(event, done);
  });
}

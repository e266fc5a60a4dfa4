import { stat } from 'node:fs/promises';
import { LineParser, parseFile } from './lineParser';
import type { Template } from './templateMiner';

export interface TemplateGroup {
  /** The miner's id of the template. */
  id: number;
  /** Its tokens as they are at the end of the file (most general), joined by spaces; "" for the empty message. */
  template: string;
  /** Lines that joined it. */
  count: number;
  /** 1-based numbers of its first and last line. */
  firstLine: number;
  lastLine: number;
}

export interface TemplateGrouping {
  lines: number;
  /** Most lines first; a tie goes to the template seen first. */
  groups: TemplateGroup[];
  /** Lines no template took, once the miner's template limit was reached. */
  untemplated: number;
  /**
   * When asked for: each line's template id in file order (NO_TEMPLATE for a line with none), in
   * consecutive blocks whose lengths add up to `lines`; blocks, so that no copy is made as it grows.
   */
  assignments?: Int32Array[];
}

/** A line's entry in `assignments` when no template took it. */
export const NO_TEMPLATE = -1;
/** Lines per block of assignments. */
const BLOCK_LINES = 1 << 20;

/**
 * Groups the lines of a file by the template summarize_log gives them (the same LineParser: the
 * timestamp and level are cut off, the rest mined), streaming, so memory stays bounded; only the
 * optional assignments grow, by 4 bytes a line. A blank line joins the template of the empty
 * message, "", as does any line with nothing left once its header is cut off.
 *
 * The miner never merges two templates or renumbers one (see templateMiner.ts): a template only
 * turns more of its tokens into wildcards as lines join it. So the id a line gets when it is read
 * is final, and each template's text is taken once, at the end.
 */
export async function groupByTemplate(file: string, options: { assignments?: boolean; signal?: AbortSignal } = {}): Promise<TemplateGrouping> {
  const parser = new LineParser((await stat(file)).mtimeMs);
  const tallies: { template: Template; count: number; firstLine: number; lastLine: number }[] = [];
  const seen: typeof tallies = [];
  const assignments: Int32Array[] | undefined = options.assignments ? [] : undefined;
  let block = new Int32Array(0);
  let lines = 0;
  let untemplated = 0;
  await parseFile(
    file,
    parser,
    () => {
      const number = ++lines;
      const template = parser.template;
      if (assignments) {
        const at = (number - 1) % BLOCK_LINES;
        if (at === 0) assignments.push((block = new Int32Array(BLOCK_LINES)));
        block[at] = template ? template.id : NO_TEMPLATE;
      }
      if (!template) {
        untemplated++;
        return;
      }
      const tally = tallies[template.id];
      if (tally) {
        tally.count++;
        tally.lastLine = number;
      } else {
        seen.push((tallies[template.id] = { template, count: 1, firstLine: number, lastLine: number }));
      }
    },
    options.signal,
  );
  const groups = seen.map(({ template, count, firstLine, lastLine }) => ({ id: template.id, template: template.tokens.join(' '), count, firstLine, lastLine })).sort((a, b) => b.count - a.count);
  if (assignments?.length) assignments[assignments.length - 1] = block.subarray(0, ((lines - 1) % BLOCK_LINES) + 1);
  return { lines, groups, untemplated, ...(assignments ? { assignments } : {}) };
}

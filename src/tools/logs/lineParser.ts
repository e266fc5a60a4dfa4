import { findLevel, findLevelAfter, levelOfWordKey, type Level } from './levels';
import { LineFields } from './lineFields';
import { READ_BYTES, readLineParts, readTextBatches } from './lineReader';
import { TemplateMiner, type Template } from './templateMiner';
import { TimestampParser, type ParsedTimestamp } from './timestamps';

/**
 * What summarize_log and `incident-triage templates` read from each line of a file, in one place so
 * that both describe the same thing: its timestamp, its level (right after the timestamp when it
 * is there), and the template its message joins. One parser per file, fed the lines in order: the
 * timestamp format and the templates are learnt as it goes. `parse` sets the fields below rather
 * than returning an object, as it runs once per line of files of gigabytes.
 */
export class LineParser {
  readonly miner = new TemplateMiner();
  private readonly timestamps: TimestampParser;
  /** The line's own timestamp, if it has one; valid until the next line is read (a line the kernel read fills one reused object). */
  timestamp: ParsedTimestamp | undefined;
  level: Level | undefined;
  /** Undefined once the miner's template limit is reached and the line fits none of its templates. */
  template: Template | undefined;

  /** What `timestamp` is for the kernel's lines: one object a file, not one a line, as the bulk of a log comes that way. */
  private readonly kernelTimestamp: ParsedTimestamp = { ms: 0, index: 0, length: 0 };

  /** `referenceMs` gives the year to timestamps written without one (the file's modification time). */
  constructor(referenceMs: number) {
    this.timestamps = new TimestampParser(referenceMs);
  }

  parse(text: string): void {
    const timestamp = this.timestamps.parse(text);
    const found = timestamp ? findLevelAfter(text, timestamp.index + timestamp.length) : findLevel(text);
    this.timestamp = timestamp;
    this.level = found?.level;
    this.template = this.miner.addLine(text, timestamp, found?.end);
  }

  /**
   * `parse` for the line of record k of the lineFields kernel, from what the kernel read: the
   * same fields `parse` would set, without the line as a string. False, with nothing changed,
   * when the line must go to `parse` instead: the kernel did not decide it, its word is not a
   * level, or the timestamp parser is not where the kernel's ISO shortcut applies.
   */
  parseFields(fields: LineFields, k: number): boolean {
    if (!fields.decided(k) || !this.timestamps.takesIsoShortcut()) return false;
    const level = levelOfWordKey(fields.levelKey(k));
    if (!level) return false;
    this.timestamp = this.timestamps.isoFields(fields.day(k), fields.msOfDay(k), fields.timestampIndex(k), fields.timestampLength(k), this.kernelTimestamp);
    this.level = level;
    const key = fields.skeleton(k);
    // The message is made only when its skeleton is not cached: no closure on the hot path.
    this.template = this.miner.addCachedSkeleton(key) ?? this.miner.addSkeleton(key, () => fields.text(k, fields.messageStart(k)));
    return true;
  }
}

/**
 * Reads a file into `parser` line by line, calling `each` once the parser holds a line: ASCII
 * lines through the lineFields kernel where this runtime has WebAssembly, the rest as strings.
 */
export async function parseFile(file: string, parser: LineParser, each: () => void, signal?: AbortSignal): Promise<void> {
  const fields = LineFields.acquire(READ_BYTES);
  try {
    for await (const part of fields ? readLineParts(file, fields.block, signal) : readTextBatches(file, signal)) {
      if ('texts' in part) {
        for (const text of part.texts) {
          parser.parse(text);
          each();
        }
        continue;
      }
      for (let from = part.from; from < part.to;) {
        const n = fields!.scan(from, part.to);
        for (let k = 0; k < n; k++) {
          if (!parser.parseFields(fields!, k)) parser.parse(fields!.text(k));
          each();
        }
        from = fields!.next(n - 1);
      }
    }
  } finally {
    fields?.release();
  }
}

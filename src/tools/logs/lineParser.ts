import { findLevel, findLevelAfter, levelOfWordKey, type Level } from './levels';
import type { LineFields } from './lineFields';
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
  /** The line's own timestamp, if it has one. */
  timestamp: ParsedTimestamp | undefined;
  level: Level | undefined;
  /** Undefined once the miner's template limit is reached and the line fits none of its templates. */
  template: Template | undefined;

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
    this.timestamp = this.timestamps.isoFields(fields.day(k), fields.msOfDay(k), fields.timestampIndex(k), fields.timestampLength(k));
    this.level = level;
    this.template = this.miner.addSkeleton(fields.skeleton(k), () => fields.text(k, fields.messageStart(k)));
    return true;
  }
}

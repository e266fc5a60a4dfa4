/**
 * What the engine sees of the logs when a triage starts, before the model's first token, locally
 * and for $0: the files' time spans, the first error burst, and what changed around the suspected
 * start. The panel and the CLI show it at once; the model gets it in the first user message.
 * Every string that came from a log has passed the run's redactor. Times are ISO 8601, UTC.
 */
export interface FirstLook {
  /** The one file the engineer started from ("Analyze Log File"), when there is one; else every log file was looked at. */
  logFile?: string;
  /** Log files found (including those not shown in `files`). */
  filesTotal: number;
  /** The files, latest last timestamp first, at most a handful. */
  files: FirstLookFile[];
  /** The first burst of errors: the earliest among the files read. */
  burst?: FirstLookBurst;
  /** The time the changes are measured around; absent when neither the description nor a burst gave one. */
  start?: FirstLookStart;
  /** How the description's time was read, or why it was not used (ambiguous, outside the logs). */
  timeNote?: string;
  /** The windows compared: the incident from a little before the start, a baseline of the same length just before it. */
  windows?: { incident: FirstLookSpan; baseline: FirstLookSpan };
  /** Templates new, surging or gone quiet in the incident window, the top few of each. */
  changes?: FirstLookChanges;
  /** The latest deploy or commit at or before the start. */
  precedingChange?: FirstLookDeploy;
  /** Set when the time budget or a bound stopped the reading: says what was covered. */
  partial?: string;
  /** Anything else worth knowing: files skipped, git history unavailable, a failure inside the first look. */
  notes: string[];
  /** Secrets replaced in what came from the logs. */
  redactions?: number;
  /** How long it took, for the panel and the CLI; the model's copy leaves it out so the same inputs give the same bytes. */
  durationMs: number;
}

export interface FirstLookSpan {
  start: string;
  end: string;
}

export interface FirstLookFile {
  path: string;
  sizeBytes: number;
  format: 'plain' | 'jsonl' | 'gzip' | 'binary' | 'empty';
  first?: string;
  last?: string;
  /** Known when the file was read to its end within the budget. */
  lines?: number;
}

export interface FirstLookBurst {
  file: string;
  /** 1-based line of the burst's first error. */
  line: number;
  /** Time of the burst's first error. */
  time: string;
  /** Error lines within `windowSeconds` of the first. */
  count: number;
  windowSeconds: number;
  /** The first error line, as the tools show lines (cut when long). */
  sample: string;
}

export interface FirstLookStart {
  time: string;
  from: 'description' | 'burst';
  /** The words of the description the time was read from. */
  quote?: string;
}

export interface FirstLookDeploy {
  time: string;
  kind: 'commit' | 'merge' | 'tag' | 'deploy';
  /** Commit hash, tag name or deployed version. */
  ref: string;
  service?: string;
  subject: string;
  /** Where it was found: a repository folder or a deploy record file. */
  source: string;
}

export interface FirstLookTemplate {
  /** The mined template, variable parts as <*>. */
  template: string;
  level?: string;
  incidentCount: number;
  baselineCount: number;
  /** Surging: incident rate over baseline rate. */
  rateRatio?: number;
  /** New and surging: the first occurrence in the incident window; quiet: the first in the baseline. */
  first: { time: string; file: string; line: number; sample: string };
  /** Quiet: the last occurrence in the baseline, when it stopped. */
  last?: { time: string; file: string; line: number };
  /** New: the nearest deploy or commit before its first occurrence. */
  change?: FirstLookDeploy;
}

export interface FirstLookChanges {
  new: FirstLookTemplate[];
  surging: FirstLookTemplate[];
  quiet: FirstLookTemplate[];
  /** How many qualified in each, before the top few were kept. */
  totals: { new: number; surging: number; quiet: number };
}

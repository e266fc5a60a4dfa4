import type { WorkspaceScanSettings } from '../workspaceFiles';

/** Settings of the log tools, from `incidentTriage.logGlobs`, `files.exclude` and the host's ripgrep; bound when the tools are made. */
export interface LogToolSettings extends WorkspaceScanSettings {
  /** Which files count as logs (default: DEFAULTS.logGlobs — *.log, rotations, logs/**, *.jsonl). */
  globs?: readonly string[];
  /** A ripgrep binary to delegate plain-file search to; without it a streaming Node scan is used. */
  ripgrepPath?: string;
}

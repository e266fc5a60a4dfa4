import path from 'node:path';

/**
 * Variables a program we spawn (git, ripgrep) inherits: enough to start, find its own helpers
 * and read text as the user does. SYSTEMROOT is Windows': programs fail to start without it.
 */
const INHERITED = new Set(['PATH', 'HOME', 'LANG', 'TZ', 'SYSTEMROOT']);

/**
 * The environment for a child process: an allowlist, never a copy of ours. Whatever else we
 * hold — ANTHROPIC_API_KEY, PROMETHEUS_BEARER_TOKEN, a cloud token — stays out of reach of any
 * program a hostile workspace might get the child to run, and variables that steer the child
 * (GIT_DIR, GIT_CONFIG_*, RIPGREP_CONFIG_PATH, LD_PRELOAD) are not passed on either.
 * PATH keeps only absolute folders, so no program is looked up relative to the current folder
 * (which, for the CLI, is often the workspace).
 */
export function childEnv(extra: Readonly<Record<string, string>> = {}, from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(from)) {
    if (value === undefined) continue;
    // Windows spells variable names in any case (Path, SystemRoot).
    const upper = name.toUpperCase();
    if (INHERITED.has(upper) || upper.startsWith('LC_')) env[name] = value;
  }
  for (const name of Object.keys(env)) {
    if (name.toUpperCase() === 'PATH') env[name] = absoluteEntries(env[name]!);
  }
  return { ...env, ...extra };
}

function absoluteEntries(searchPath: string): string {
  return searchPath
    .split(path.delimiter)
    .filter((dir) => path.isAbsolute(dir))
    .join(path.delimiter);
}

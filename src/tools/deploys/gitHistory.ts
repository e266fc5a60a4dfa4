import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAX_COMMITS = 200;
const MAX_PATHS_SHOWN = 8;

export interface Change {
  time: number;
  kind: 'commit' | 'merge' | 'tag' | 'deploy';
  /** Commit hash, tag name, or deployed version. */
  ref: string;
  author?: string;
  subject: string;
  paths?: string[];
  service?: string;
  /** Where it was found: the repository folder or the deploy record file. */
  source: string;
}

/**
 * Commits (merges marked) on the current branch and tags created between `sinceMs` and `untilMs`,
 * from the git CLI. When the repository root lies above the workspace folder, only commits that
 * touch the folder are listed, with paths relative to it, and repository-wide tags are left
 * out: nothing outside the workspace is reported. Read-only; hooks and fsmonitor are disabled.
 */
export async function gitChanges(root: string, sinceMs: number, untilMs: number, signal: AbortSignal): Promise<{ changes: Change[]; note?: string }> {
  const git = (args: string[]) =>
    run('git', ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-C', root, ...args], { signal, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' } }).then((r) => r.stdout);
  const source = path.basename(root);
  const top = (await git(['rev-parse', '--show-toplevel'])).trim();
  const [realTop, realRoot] = await Promise.all([realpath(top), realpath(root)]);
  const nested = realTop !== realRoot;
  const window = [`--since=@${Math.floor(sinceMs / 1000)}`, `--until=@${Math.ceil(untilMs / 1000)}`];
  const log = await git(['log', ...window, `--max-count=${MAX_COMMITS}`, '--date=iso-strict', '--name-only', '--pretty=format:%x1e%H%x1f%an%x1f%cI%x1f%P%x1f%s', ...(nested ? ['--relative', '--', '.'] : [])]);
  const changes: Change[] = log
    .split('\x1e')
    .filter((r) => r.trim())
    .map((record) => {
      const [header, ...files] = record.split('\n');
      const [hash, author, date, parents, subject] = header!.split('\x1f');
      return {
        time: Date.parse(date!),
        kind: (parents ?? '').trim().split(' ').length > 1 ? 'merge' : 'commit',
        ref: hash!.slice(0, 10),
        author: author!,
        subject: subject ?? '',
        paths: files.map((f) => f.trim()).filter(Boolean),
        source,
      };
    });
  if (nested) return { changes, note: `[${source} is inside a larger git repository: only its commits that touch this folder are listed, without tags]` };
  const tags = await git(['for-each-ref', '--sort=creatordate', '--format=%(refname:short)%1f%(creatordate:iso-strict)%1f%(subject)%1f%(taggername)', 'refs/tags']);
  for (const line of tags.split('\n').filter(Boolean)) {
    const [name, date, subject, tagger] = line.split('\x1f');
    const time = Date.parse(date!);
    if (time >= sinceMs && time <= untilMs) changes.push({ time, kind: 'tag', ref: name!, subject: subject ?? '', ...(tagger ? { author: tagger } : {}), source });
  }
  return { changes };
}

export function formatPaths(paths: readonly string[] | undefined): string {
  if (!paths?.length) return '';
  const shown = paths.slice(0, MAX_PATHS_SHOWN).join(', ');
  return ` files: ${shown}${paths.length > MAX_PATHS_SHOWN ? `, +${paths.length - MAX_PATHS_SHOWN} more` : ''}`;
}

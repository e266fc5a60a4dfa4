import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { runGit, type GitDeadline } from './git';
import { locateRepository } from './gitRepository';
import { assertGitRecentEnough } from './gitVersion';

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
 * Flags that fix what `git log` prints, whatever the repository's configuration says: no
 * signature check (it runs gpg.program), no external diff or textconv program, no mailmap (a
 * FIFO named .mailmap would block), no order file (likewise), no decorations, notes or colour,
 * full hashes, UTF-8, merges without files (as git shows them by default), renames as the two
 * paths they touch.
 */
const FIXED_LOG_FLAGS = [
  '--no-show-signature',
  '--no-ext-diff',
  '--no-textconv',
  '--no-mailmap',
  '-O/dev/null',
  '--no-decorate',
  '--no-notes',
  '--no-color',
  '--no-abbrev-commit',
  '--encoding=UTF-8',
  '--diff-merges=off',
  '--no-renames',
];

/**
 * Commits (merges marked) on the current branch and tags created between `sinceMs` and `untilMs`,
 * from the git CLI. When the repository root lies above the workspace folder, only commits that
 * touch the folder are listed, with paths relative to it, and repository-wide tags are left
 * out: nothing outside the workspace is reported. Which repositories are read, and how git is
 * kept from running programs: locateRepository and runGit.
 */
export async function gitChanges(
  root: string,
  workspaceRoots: readonly string[],
  sinceMs: number,
  untilMs: number,
  signal: AbortSignal,
  deadline?: GitDeadline,
): Promise<{ changes: Change[]; note?: string }> {
  await assertGitRecentEnough(root, signal, deadline);
  const repo = await locateRepository(root, workspaceRoots, signal, deadline);
  if (!repo) return { changes: [] };
  const git = (args: string[]) => runGit(root, [`--git-dir=${repo.gitDir}`, `--work-tree=${repo.workTree}`, ...args], signal, deadline);
  const source = path.basename(root);
  // One field a line, each record opened by a marker no commit can contain: a subject may hold any
  // character but a line break, so a delimiter inside one line could be forged by a commit message.
  const marker = `--record-${randomBytes(12).toString('hex')}--`;
  const window = [`--since=@${Math.floor(sinceMs / 1000)}`, `--until=@${Math.ceil(untilMs / 1000)}`];
  const log = await git([
    'log',
    ...FIXED_LOG_FLAGS,
    ...window,
    `--max-count=${MAX_COMMITS}`,
    '--name-only',
    `--pretty=tformat:${marker}%n%H%n%an%n%cI%n%P%n%s`,
    ...(repo.nested ? ['--relative', '--', '.'] : []),
  ]);
  const changes: Change[] = records(log, marker, 5).map(({ fields: [hash = '', author = '', date = '', parents = '', subject = ''], rest }) => ({
    time: Date.parse(date),
    kind: parents.trim().split(' ').length > 1 ? 'merge' : 'commit',
    ref: hash.slice(0, 10),
    author,
    subject,
    paths: rest.filter((f) => f.trim()),
    source,
  }));
  if (repo.nested) return { changes, note: `[${source} is inside a larger git repository: only its commits that touch this folder are listed, without tags]` };
  const tags = await git(['for-each-ref', '--sort=creatordate', `--format=${marker}%0a%(refname:short)%0a%(creatordate:iso-strict)%0a%(taggername)%0a%(subject)`, 'refs/tags']);
  for (const {
    fields: [name = '', date = '', tagger, subject = ''],
  } of records(tags, marker, 4)) {
    const time = Date.parse(date);
    if (time >= sinceMs && time <= untilMs) changes.push({ time, kind: 'tag', ref: name, subject, ...(tagger ? { author: tagger } : {}), source });
  }
  return { changes };
}

/** Splits output into records opened by `marker` lines: `count` field lines each, then the lines after them. */
function records(output: string, marker: string, count: number): { fields: string[]; rest: string[] }[] {
  const found: { fields: string[]; rest: string[] }[] = [];
  for (const line of output.split('\n')) {
    const current = found.at(-1);
    if (line === marker) found.push({ fields: [], rest: [] });
    else if (current && current.fields.length < count) current.fields.push(line);
    else current?.rest.push(line);
  }
  return found.filter(({ fields }) => fields.length === count);
}

export function formatPaths(paths: readonly string[] | undefined): string {
  if (!paths?.length) return '';
  const shown = paths.slice(0, MAX_PATHS_SHOWN).join(', ');
  return ` files: ${shown}${paths.length > MAX_PATHS_SHOWN ? `, +${paths.length - MAX_PATHS_SHOWN} more` : ''}`;
}

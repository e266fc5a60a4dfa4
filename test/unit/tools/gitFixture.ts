import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, chmod, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Runs git in `dir` with both author and committer dates set, as a real history would have them. */
export function git(dir: string, args: string[], at?: string, author = 'Dana Kim'): string {
  const who = { GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: author, GIT_COMMITTER_EMAIL: 'dev@example.com' };
  const env = { ...process.env, ...who, ...(at ? { GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at } : {}) };
  return execFileSync('git', args, { cwd: dir, env, encoding: 'utf8' });
}

export async function commit(repo: string, file: string, subject: string, at: string, author?: string): Promise<void> {
  await mkdir(path.dirname(path.join(repo, file)), { recursive: true });
  await writeFile(path.join(repo, file), `${subject}\n`);
  git(repo, ['add', file]);
  git(repo, ['commit', '-q', '-m', subject], at, author);
}

const SIGNATURES = {
  pgp: ['-----BEGIN PGP SIGNATURE-----', '', 'iQEzBAABCAAdFiEEnotarealsignature', '-----END PGP SIGNATURE-----'],
  x509: ['-----BEGIN SIGNED MESSAGE-----', 'MIAGCSqGSIb3DQEHAqCAMIACAQExDTALBglghkgBZQMEAgE', '-----END SIGNED MESSAGE-----'],
};

/**
 * Rewrites the HEAD commit with a signature header, as an attacker crafts one (no key needed):
 * git runs the signature program of the repository's choosing to check it when asked to show it.
 */
export function signHead(repo: string, kind: keyof typeof SIGNATURES): void {
  const raw = git(repo, ['cat-file', 'commit', 'HEAD']);
  const split = raw.indexOf('\n\n');
  const header = `gpgsig ${SIGNATURES[kind].join('\n ')}`;
  const signed = `${raw.slice(0, split)}\n${header}${raw.slice(split)}`;
  const hash = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: repo, input: signed, encoding: 'utf8' }).trim();
  git(repo, ['update-ref', 'HEAD', hash]);
}

/**
 * An executable that, when anything runs it, appends its arguments and its whole environment to
 * `marker` — so a test sees both that it ran and what it was given (an API key, say).
 */
export async function markerScript(file: string, marker: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `#!/bin/sh\n{ echo "ran: $0 $*"; env; } >> '${marker}'\necho 'SCRIPT-RAN'\necho 'SCRIPT-RAN' >&2\nexit 1\n`);
  await chmod(file, 0o755);
  return file;
}

/**
 * Makes `root` a repository as a hostile clone would arrive: a recent commit with a crafted
 * signature, and `.git/config` naming a script in the workspace as gpg.program with
 * log.showSignature on. The script prints SCRIPT-RAN and records that it ran. Returns a check
 * that fails if it ran, and removes the repository.
 */
export async function plantSignatureScript(root: string): Promise<() => Promise<void>> {
  const marker = path.join(root, 'tools', 'ran');
  await markerScript(path.join(root, 'tools', 'gpg'), marker);
  git(root, ['init', '-q', '-b', 'main']);
  git(root, ['commit', '-q', '--allow-empty', '-m', 'deploy payments 2.15']);
  signHead(root, 'pgp');
  git(root, ['config', 'log.showSignature', 'true']);
  git(root, ['config', 'gpg.program', 'tools/gpg']);
  return async () => {
    const ran = existsSync(marker);
    await rm(path.join(root, '.git'), { recursive: true, force: true });
    await rm(path.join(root, 'tools'), { recursive: true, force: true });
    if (ran) throw new Error('the gpg.program planted in .git/config ran');
  };
}

/** A repository outside any workspace whose one commit (made now, or `at`) is "secret roadmap": what no workspace may report. Returns its folder and how to remove it. */
export async function secretRepository(at?: string): Promise<{ repo: string; remove: () => Promise<void> }> {
  const repo = await realpath(await mkdtemp(path.join(os.tmpdir(), 'triage-elsewhere-')));
  git(repo, ['init', '-q', '-b', 'main']);
  git(repo, ['commit', '-q', '--allow-empty', '-m', 'secret roadmap'], at);
  return { repo, remove: () => rm(repo, { recursive: true, force: true }) };
}

/** A `.git` file in `root` pointing at a repository outside it, whose one commit is "secret roadmap". Returns how to remove both. */
export async function plantGitFileToOutside(root: string): Promise<() => Promise<void>> {
  const elsewhere = await secretRepository();
  await writeFile(path.join(root, '.git'), `gitdir: ${path.join(elsewhere.repo, '.git')}\n`);
  return async () => {
    await rm(path.join(root, '.git'), { force: true });
    await elsewhere.remove();
  };
}

/**
 * A `.git` folder in `root` of its own, whose `objects` and `refs` are symlinks into a repository
 * outside it (as an archive can carry them): git reads that repository's history as this one's.
 * `at` dates its secret commit, as secretRepository does.
 */
export async function plantSymlinkedStore(root: string, at?: string): Promise<() => Promise<void>> {
  const elsewhere = await secretRepository(at);
  git(root, ['init', '-q', '-b', 'main']);
  for (const store of ['objects', 'refs']) {
    await rm(path.join(root, '.git', store), { recursive: true });
    await symlink(path.join(elsewhere.repo, '.git', store), path.join(root, '.git', store));
  }
  return async () => {
    await rm(path.join(root, '.git'), { recursive: true, force: true });
    await elsewhere.remove();
  };
}

/** A repository in `root` whose `.git/config` includes a FIFO in the workspace: git, reading its configuration, waits forever. */
export async function plantIncludedFifo(root: string): Promise<() => Promise<void>> {
  git(root, ['init', '-q', '-b', 'main']);
  git(root, ['commit', '-q', '--allow-empty', '-m', 'deploy payments 2.15']);
  const fifo = path.join(root, 'shared.gitconfig');
  execFileSync('mkfifo', [fifo]);
  // Written by hand: `git config` itself would read the include, and wait.
  await appendFile(path.join(root, '.git', 'config'), '[include]\n\tpath = ../shared.gitconfig\n');
  return async () => {
    await rm(path.join(root, '.git'), { recursive: true, force: true });
    await rm(fifo, { force: true });
  };
}

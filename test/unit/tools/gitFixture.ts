import { execFileSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
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

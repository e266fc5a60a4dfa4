import { mapBounded } from '../mapBounded';
import { outOfTime, type GitDeadline } from './git';
import { gitChanges, type Change } from './gitHistory';
import { RepositoryRefused } from './repositoryRefused';

/**
 * How long one call may spend on git history, all workspace folders together. Each git command
 * has its own limit (GIT_TIME_LIMIT_MS), but a folder runs several, and folders are many: without
 * one deadline for all, a few hostile folders would run the call into the tool's own timeout and
 * lose every other folder's history (and blame the request).
 */
export const GIT_BUDGET_MS = 8_000;
/** How many folders are read at once: a slow one holds one slot, not the whole call. */
export const GIT_CONCURRENCY = 4;
/** How long past the deadline we wait for a folder still being checked before leaving it out. */
const GRACE_MS = 250;

/**
 * Commits and tags of every workspace folder's repository (gitChanges), folders read
 * GIT_CONCURRENCY at a time within one deadline, GIT_BUDGET_MS from now. A folder refused, or not
 * read or not reached in time, gets a note saying so; the others' history is kept.
 */
export async function gitChangesOfRoots(
  roots: readonly string[],
  sinceMs: number,
  untilMs: number,
  signal: AbortSignal,
  options: { budgetMs?: number; concurrency?: number } = {},
): Promise<{ changes: Change[]; notes: string[] }> {
  const budgetMs = options.budgetMs ?? GIT_BUDGET_MS;
  const deadline: GitDeadline = { at: Date.now() + budgetMs, seconds: Math.round(budgetMs / 100) / 10 };
  const results = await mapBounded(roots, Math.max(1, options.concurrency ?? GIT_CONCURRENCY), async (root): Promise<{ changes: Change[]; notes: string[] }> => {
    const folder = root.split(/[\\/]/).pop();
    if (Date.now() >= deadline.at) {
      return {
        changes: [],
        notes: [`[git history of ${folder} skipped: the ${deadline.seconds} s given to reading git history ran out before it was reached (other repositories of the workspace took it)]`],
      };
    }
    try {
      const git = await withinDeadline(gitChanges(root, roots, sinceMs, untilMs, signal, deadline), deadline);
      return { changes: git.changes, notes: git.note ? [git.note] : [] };
    } catch (err) {
      if (err instanceof RepositoryRefused) return { changes: [], notes: [`[git history of ${folder} not read: ${err.message}]`] };
      const message = (err as { stderr?: string }).stderr?.trim() || (err as Error).message;
      return { changes: [], notes: [`[git history of ${folder} unavailable: ${message.split('\n')[0]}]`] };
    }
  });
  return { changes: results.flatMap((r) => r.changes), notes: results.flatMap((r) => r.notes) };
}

/** `work`, or a refusal once the deadline (and a short grace) has passed: git commands end there, checks of files might not. */
async function withinDeadline<T>(work: Promise<T>, deadline: GitDeadline): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RepositoryRefused(outOfTime(deadline))), Math.max(0, deadline.at - Date.now()) + GRACE_MS);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

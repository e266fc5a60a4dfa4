import { recordedDeploys } from './deployRecords';
import type { Change } from './gitHistory';
import { gitChangesOfRoots } from './gitRoots';

/** How far before a window a deploy or commit can still explain it: a bad change often shows only under the next day's load. */
export const CHANGES_LOOKBACK_MS = 24 * 3_600_000;

/**
 * Every deploy and commit from `since` to `until`: the git history of the workspace folders and
 * the deploy records (deploys.json, deploys.csv, .deploys/*.json). get_recent_deploys,
 * compare_log_windows and the first look all read changes here, so they name the same ones.
 */
export async function changesBetween(
  roots: readonly string[],
  since: number,
  until: number,
  options: { exclude?: readonly string[]; signal?: AbortSignal; budgetMs?: number } = {},
): Promise<{ changes: Change[]; notes: string[] }> {
  const [git, records] = await Promise.all([
    gitChangesOfRoots(roots, since, until, options.signal ?? new AbortController().signal, options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {}),
    recordedDeploys(roots, options.exclude),
  ]);
  return { changes: [...git.changes, ...records.changes.filter((c) => c.time >= since && c.time <= until)], notes: [...git.notes, ...records.notes] };
}

/** The latest change at or before `ms`: the first suspect for what began then. */
export function nearestChangeBefore(changes: readonly Change[], ms: number): Change | undefined {
  let best: Change | undefined;
  for (const c of changes) if (c.time <= ms && (!best || c.time > best.time)) best = c;
  return best;
}

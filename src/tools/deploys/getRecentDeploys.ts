import { z } from 'zod';
import { defineTool } from '../registry';
import type { WorkspaceScanSettings } from '../workspaceFiles';
import { changesBetween } from './changesBetween';
import { formatPaths, type Change } from './gitHistory';

const MAX_SINCE_MINUTES = 10_080;
const MAX_SHOWN = 60;

const input = z.object({
  service: z.string().min(1).max(128).optional().describe('Keep only changes whose service, changed paths or subject mention this, e.g. "payments".'),
  since_minutes: z.number().int().min(1).describe('How far back to look, 1-10080 minutes (7 days; larger values are clamped).'),
});

export const getRecentDeploysTool = (settings: WorkspaceScanSettings) =>
  defineTool({
    name: 'get_recent_deploys',
    description:
      'Use this to find what changed before the incident: commits (merges marked) and tags on the current branch of the ' +
      "workspace's git repositories, and deploys listed in deploys.json / deploys.csv / .deploys/*.json. Sorted by time, " +
      'each with how long ago it happened and, for commits, the changed paths. ' +
      'Example: {"service": "payments", "since_minutes": 1440}. A change shortly before the first error is the first suspect.',
    input,
    risk: 'read-only',
    async run({ service, since_minutes }, ctx) {
      const notes: string[] = [];
      let minutes = since_minutes;
      if (minutes > MAX_SINCE_MINUTES) {
        notes.push(`[since_minutes ${minutes} clamped to ${MAX_SINCE_MINUTES} (7 days)]`);
        minutes = MAX_SINCE_MINUTES;
      }
      const now = ctx.now?.() ?? Date.now();
      const since = now - minutes * 60_000;
      const { changes, notes: sourceNotes } = await changesBetween(ctx.workspaceRoots, since, now, { exclude: settings.exclude, signal: ctx.signal });
      notes.push(...sourceNotes);

      const needle = service?.toLowerCase();
      const matching = changes.filter((c) => !needle || [c.service, c.subject, ...(c.paths ?? [])].some((s) => s?.toLowerCase().includes(needle))).sort((a, b) => a.time - b.time);
      if (matching.length === 0) {
        return { text: [`No deploys, commits or tags${service ? ` mentioning "${service}"` : ''} in the last ${minutes} minutes.`, ...notes].join('\n') };
      }
      const shown = matching.slice(-MAX_SHOWN);
      const lines = shown.map(
        (c) =>
          `${new Date(c.time).toISOString()} (${ago(now - c.time)} ago) ${changeLabel(c)}${c.author ? ` by ${c.author}` : ''}: ${c.subject || '(no description)'}${formatPaths(c.paths)} [${c.source}]`,
      );
      const omitted = matching.length > shown.length ? [`[${matching.length - shown.length} older changes omitted; narrow since_minutes or service]`] : [];
      return { text: [`${matching.length} change${matching.length === 1 ? '' : 's'} in the last ${minutes} minutes, oldest first:`, ...omitted, ...lines, ...notes].join('\n') };
    },
  });

/** "deploy payments 2.14.0", "tag v2.14.0", "merge 1a2b3c4d5e": what a change is, as the tools name it. */
export function changeLabel(c: Change): string {
  return c.kind === 'deploy' ? `deploy ${c.service} ${c.ref}` : c.kind === 'tag' ? `tag ${c.ref}` : `${c.kind} ${c.ref}`;
}

/** "45m", "3h 5m", "2d 4h": a time difference at the granularity a change's age needs. */
export function ago(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 2880) return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
  return `${Math.floor(minutes / 1440)}d ${Math.floor((minutes % 1440) / 60)}h`;
}

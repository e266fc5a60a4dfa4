import type { FirstLook, FirstLookDeploy } from './firstLook';

// The words the model's message, the terminal and the panel share about a first look. Type-only imports: the panel bundles this.

/** How a view writes the first look's times: in full, or as times of day when all of them fall on one day (said once). */
export interface FirstLookClock {
  time: (iso: string) => string;
  /** The one day every time falls on (YYYY-MM-DD), when they do. */
  day?: string;
}

/** Every log time the first look shows (deploy times are said in full: a deploy can be days old). */
function timesOf(look: FirstLook): string[] {
  const templates = [...(look.changes?.new ?? []), ...(look.changes?.surging ?? []), ...(look.changes?.quiet ?? [])];
  return [
    ...look.files.flatMap((f) => [f.first, f.last]),
    look.burst?.time,
    look.start?.time,
    look.windows?.incident.start,
    look.windows?.incident.end,
    look.windows?.baseline.start,
    look.windows?.baseline.end,
    ...templates.flatMap((t) => [t.first.time, t.last?.time]),
  ].filter((t): t is string => t !== undefined);
}

/** The model's message, the terminal and the panel write times the same way: "14:04:19.717Z" under "all on 2026-11-20", "14:02:00Z" for a whole second. */
export function firstLookClock(look: FirstLook): FirstLookClock {
  const days = new Set(timesOf(look).map((t) => t.slice(0, 10)));
  const trim = (t: string) => t.replace(/\.000Z$/, 'Z');
  if (days.size !== 1) return { time: trim };
  return { time: (t) => trim(t).slice(11), day: [...days][0]! };
}

/** "deploy payments 2.14.0", "commit 9f3c2ab…", "tag v2.14.0": a deploy or commit as every view names it. */
export function deployLabel(d: Pick<FirstLookDeploy, 'kind' | 'ref' | 'service'>): string {
  return d.kind === 'deploy' ? `deploy ${d.service ?? '?'} ${d.ref}` : `${d.kind} ${d.ref}`;
}

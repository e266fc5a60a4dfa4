const RELATIVE = /^(\d{1,6})\s*(s|m|h|d)$/i;
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A time bound from the model: ISO 8601 (zone optional, UTC assumed) or relative to now
 * ("30m" means 30 minutes ago). Throws a message the model can correct from.
 */
export function parseTimeBound(name: string, value: string, now: number): number {
  const trimmed = value.trim();
  const relative = RELATIVE.exec(trimmed);
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2]!.toLowerCase()]!;
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(trimmed)) {
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(trimmed) && trimmed.length > 10;
    const ms = Date.parse(hasZone ? trimmed.replace(' ', 'T') : `${trimmed.replace(' ', 'T')}${trimmed.length > 10 ? 'Z' : ''}`);
    if (!Number.isNaN(ms)) return ms;
  }
  throw new Error(`"${name}" must be an ISO 8601 time such as 2026-11-20T14:00:00Z, or relative to now such as 30m, 2h or 1d; got "${value}".`);
}

export interface TimeWindow {
  since?: number;
  until?: number;
}

export function parseWindow(since: string | undefined, until: string | undefined, now: number): TimeWindow {
  const window: TimeWindow = {};
  if (since !== undefined) window.since = parseTimeBound('since', since, now);
  if (until !== undefined) window.until = parseTimeBound('until', until, now);
  if (window.since !== undefined && window.until !== undefined && window.since > window.until) {
    throw new Error(`"since" (${new Date(window.since).toISOString()}) is after "until" (${new Date(window.until).toISOString()}).`);
  }
  return window;
}

export function inWindow(ms: number | undefined, window: TimeWindow): boolean {
  if (window.since === undefined && window.until === undefined) return true;
  if (ms === undefined) return false;
  return (window.since === undefined || ms >= window.since) && (window.until === undefined || ms <= window.until);
}

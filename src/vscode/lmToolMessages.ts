import { parseTimeBound } from '../tools/logs/timeRange';

/** Characters of a quoted argument (a query, a file) shown in the chat; the call itself gets it whole. */
const SHOWN_CHARS = 60;

type Input = Record<string, unknown>;

/**
 * What the chat shows while one of our tools runs in VS Code's agent mode, from the model's
 * arguments: what will be read, e.g. `Searching logs for "HikariPool" since 14:00 UTC`. Arguments
 * the tool will refuse are shown as given (the call answers with the reason). The chat renders the
 * string as plain text, so a query full of markdown shows as typed.
 */
export function invocationMessage(tool: string, input: Input, now = Date.now()): string {
  // Each returns '' when the argument is missing or not a string (the schema refuses it when the call runs).
  const text = (key: string, before = '') => (typeof input[key] === 'string' && input[key].trim() ? `${before}${quoted(input[key])}` : '');
  const time = (key: string, before: string) => (typeof input[key] === 'string' ? `${before}${shownTime(input[key], now)}` : '');
  switch (tool) {
    case 'list_log_files':
      return `Listing log files${text('glob', ' matching ')}`;
    case 'summarize_log':
      return `Summarizing ${text('file') || 'a log file'}`;
    case 'compare_log_windows':
      return `Comparing the logs from ${time('incident_start', '') || 'the incident'}${time('incident_end', ' to ')} with ${time('baseline_start', 'the window from ') || 'the window before'}${inFiles(input.files)}`;
    case 'search_logs':
      return `Searching logs for ${text('query') || 'a query'}${levels(input.levels)}${time('since', ' since ')}${time('until', ' until ')}${inFiles(input.files)}`;
    case 'read_log':
      return `Reading ${text('file') || 'a log file'}${lines(input)}`;
    case 'query_metrics':
      return `Querying ${text('metric') || 'a metric'} of ${text('service') || 'a service'}${minutes(input.time_range_minutes)}`;
    case 'get_recent_deploys':
      return `Reading commits and deploys${text('service', ' mentioning ')}${minutes(input.since_minutes)}`;
    default:
      return `Running ${tool}`;
  }
}

/** One line, cut to SHOWN_CHARS: a model's argument may hold newlines or run long. */
function quoted(value: string): string {
  const text = value.replace(/\s+/g, ' ').trim();
  return `"${text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS - 1)}…` : text}"`;
}

/** "14:00 UTC" on the day of `now`, "2026-11-19 14:00 UTC" on another, "30m ago" for a relative bound; what the tool will refuse, quoted. */
function shownTime(value: string, now: number): string {
  if (/^\s*\d+\s*[smhd]\s*$/i.test(value)) return `${value.replace(/\s+/g, '')} ago`;
  let ms: number;
  try {
    ms = parseTimeBound('time', value, now);
  } catch {
    return quoted(value);
  }
  const iso = new Date(ms).toISOString();
  const sameDay = iso.slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  return `${sameDay ? '' : `${iso.slice(0, 10)} `}${iso.slice(11, 16)} UTC`;
}

function levels(value: unknown): string {
  const named = Array.isArray(value) ? value.filter((l) => typeof l === 'string') : [];
  return named.length ? ` (${named.join(', ')})` : '';
}

function inFiles(value: unknown): string {
  if (!Array.isArray(value) || value.length === 0) return '';
  return ` in ${typeof value[0] === 'string' ? quoted(value[0]) : 'the files given'}${value.length > 1 ? ` and ${value.length - 1} more` : ''}`;
}

function lines(input: Input): string {
  const n = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
  if (n(input.around_line) !== undefined) return `, around line ${n(input.around_line)}`;
  if (n(input.start_line) !== undefined && n(input.end_line) !== undefined) return `, lines ${n(input.start_line)}–${n(input.end_line)}`;
  return '';
}

function minutes(value: unknown): string {
  return typeof value === 'number' && value > 0 ? ` over the last ${value >= 120 && value % 60 === 0 ? `${value / 60} hours` : `${value} minutes`}` : '';
}

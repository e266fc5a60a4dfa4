import { findWorkspaceFiles } from '../workspaceFiles';
import { withRegularFile } from '../regularFile';
import type { MetricName } from './prometheus';
import type { Point } from './series';
import { fieldText } from '../fieldText';

export const METRIC_FILE_GLOBS = ['**/metrics/**/*.csv', '**/metrics/**/*.json', '**/metrics/**/*.prom', '**/metrics/**/*.om'];
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export interface FileSeries {
  points: Point[];
  files: string[];
  notes: string[];
}

/**
 * Samples of one service's metric from the workspace's metric files: CSV with a
 * `timestamp,service,metric,value` header, JSON arrays of such objects, or Prometheus/OpenMetrics
 * text with timestamps (`name{service="x"} value timestamp`; milliseconds in .prom, seconds in .om).
 */
export async function readMetricFiles(roots: readonly string[], service: string, metric: MetricName, exclude?: readonly string[]): Promise<FileSeries> {
  const result: FileSeries = { points: [], files: [], notes: [] };
  for (const file of await findWorkspaceFiles(roots, METRIC_FILE_GLOBS, exclude)) {
    const text = await withRegularFile(file.real, file.relative, async (handle, stats) => (stats.size > MAX_FILE_BYTES ? undefined : handle.readFile('utf8')));
    if (text === undefined) {
      result.notes.push(`[skipped ${file.relative}: larger than 64 MiB]`);
      continue;
    }
    let samples: Sample[];
    try {
      samples = file.relative.endsWith('.csv') ? parseCsv(text) : file.relative.endsWith('.json') ? parseJson(text) : parseExposition(text, file.relative.endsWith('.om') ? 1000 : 1);
    } catch (err) {
      result.notes.push(`[skipped ${file.relative}: ${(err as Error).message}]`);
      continue;
    }
    const mine = samples.filter((s) => s.metric === metric && s.service.toLowerCase() === service.toLowerCase());
    if (mine.length) {
      result.files.push(file.relative);
      result.points.push(...mine.map((s) => ({ t: s.t, v: s.v })));
    }
  }
  return result;
}

interface Sample {
  t: number;
  service: string;
  metric: string;
  v: number;
}

function toMs(raw: unknown): number {
  if (typeof raw === 'number' || /^\d+(\.\d+)?$/.test(String(raw))) {
    const n = Number(raw);
    return n < 1e11 ? n * 1000 : n; // epoch seconds or milliseconds
  }
  const ms = Date.parse(String(raw));
  if (Number.isNaN(ms)) throw new Error(`unreadable timestamp "${String(raw)}"`);
  return ms;
}

function parseCsv(text: string): Sample[] {
  const [header, ...rows] = text.split(/\r?\n/).filter((l) => l.trim());
  const columns = (header ?? '').split(',').map((c) => c.trim().toLowerCase());
  const at = (name: string) => {
    const i = columns.indexOf(name);
    if (i < 0) throw new Error(`the CSV header needs timestamp,service,metric,value`);
    return i;
  };
  const [ti, si, mi, vi] = [at('timestamp'), at('service'), at('metric'), at('value')];
  return rows.map((row) => {
    const cells = row.split(',').map((c) => c.trim());
    return { t: toMs(cells[ti]), service: cells[si] ?? '', metric: cells[mi] ?? '', v: Number(cells[vi]) };
  });
}

function parseJson(text: string): Sample[] {
  const data = JSON.parse(text) as unknown;
  if (!Array.isArray(data)) throw new Error('the JSON must be an array of {timestamp, service, metric, value}');
  return data.map((d: Record<string, unknown>) => ({ t: toMs(d.timestamp ?? d.time ?? d.ts), service: fieldText(d.service), metric: fieldText(d.metric), v: Number(d.value) }));
}

const EXPOSITION_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{([^}]*)\})?\s+(\S+)\s+(\S+)\s*$/;

function parseExposition(text: string, toMsFactor: number): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    const m = EXPOSITION_LINE.exec(line.trim());
    if (!m) continue; // no timestamp: nothing to place in time
    const service = /(?:^|,)\s*service="((?:[^"\\]|\\.)*)"/.exec(m[2] ?? '')?.[1] ?? '';
    samples.push({ metric: m[1]!, service, v: Number(m[3]), t: Number(m[4]) * toMsFactor });
  }
  return samples;
}

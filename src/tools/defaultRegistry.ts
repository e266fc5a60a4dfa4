import { submitTriageReport } from '../agent/reportTool';
import { listLogFiles } from './logs/listLogFiles';
import { readLog } from './logs/readLog';
import { searchLogs } from './logs/searchLogs';
import { summarizeLog } from './logs/summarizeLog';
import { queryMetrics } from './metrics/queryMetrics';
import { getRecentDeploys } from './deploys/getRecentDeploys';
import { ToolRegistry, type ToolSpec } from './registry';

/**
 * The tools every run offers, in a fixed order: the order is part of the cached prompt prefix,
 * so changing it invalidates every cache entry.
 */
export function createDefaultRegistry(extra: readonly ToolSpec[] = []): ToolRegistry {
  return new ToolRegistry([listLogFiles, summarizeLog, searchLogs, readLog, queryMetrics, getRecentDeploys, ...extra, submitTriageReport] as ToolSpec[]);
}

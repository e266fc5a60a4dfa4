import { submitTriageReport } from '../agent/report';
import { listLogFiles } from './logs/listLogFiles';
import { ToolRegistry, type ToolSpec } from './registry';

/**
 * The tools every run offers, in a fixed order: the order is part of the cached prompt prefix,
 * so changing it invalidates every cache entry.
 */
export function createDefaultRegistry(extra: readonly ToolSpec[] = []): ToolRegistry {
  return new ToolRegistry([listLogFiles, ...extra, submitTriageReport] as ToolSpec[]);
}

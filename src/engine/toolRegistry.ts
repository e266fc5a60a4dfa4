import { submitTriageReport } from '../agent/reportTool';
import { getRecentDeploysTool } from '../tools/deploys/getRecentDeploys';
import { logTools } from '../tools/logs/logTools';
import type { LogToolSettings } from '../tools/logs/settings';
import { queryMetricsTool } from '../tools/metrics/queryMetrics';
import type { PrometheusSettings } from '../tools/metrics/prometheus';
import { ToolRegistry, type RegistryOptions, type ToolSpec } from '../tools/registry';

/** Each tool family's settings, bound when its tools are made: the loop and the registry never see them. */
export interface ToolSettings {
  /** Globs no tool scans, besides node_modules and .git (VS Code passes files.exclude). */
  exclude?: readonly string[];
  logs?: Omit<LogToolSettings, 'exclude'>;
  prometheus?: PrometheusSettings;
}

/**
 * The tools every run offers, in a fixed order: the order is part of the cached prompt prefix,
 * so changing it invalidates every cache entry. `extra` (MCP servers' tools) come after ours.
 */
export function createToolRegistry(settings: ToolSettings = {}, extra: readonly ToolSpec[] = [], options: RegistryOptions = {}): ToolRegistry {
  return new ToolRegistry([...investigationTools(settings), ...extra, submitTriageReport], options);
}

/** Our read-only tools, with their settings bound, in the order runs offer them: what the MCP server and VS Code's agent mode lend to other agents. */
export function investigationTools(settings: ToolSettings = {}): ToolSpec[] {
  const exclude = settings.exclude;
  return [...logTools({ ...settings.logs, exclude }), queryMetricsTool({ prometheus: settings.prometheus, exclude }), getRecentDeploysTool({ exclude })] as ToolSpec[];
}

import type { ToolSpec } from '../registry';
import { compareLogWindowsTool } from './compareLogWindows';
import { listLogFilesTool } from './listLogFiles';
import { readLogTool } from './readLog';
import { searchLogsTool } from './searchLogs';
import type { LogToolSettings } from './settings';
import { summarizeLogTool } from './summarizeLog';

/**
 * The log tools, in the order the model sees them (the order is part of the cached prefix): the
 * overviews (what is there, its shape, what changed) before the tools that drill into lines.
 */
export function logTools(settings: LogToolSettings = {}): ToolSpec[] {
  return [listLogFilesTool(settings), summarizeLogTool(settings), compareLogWindowsTool(settings), searchLogsTool(settings), readLogTool(settings)] as ToolSpec[];
}

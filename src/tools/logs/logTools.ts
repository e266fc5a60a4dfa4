import type { ToolSpec } from '../registry';
import { listLogFilesTool } from './listLogFiles';
import { readLogTool } from './readLog';
import { searchLogsTool } from './searchLogs';
import type { LogToolSettings } from './settings';
import { summarizeLogTool } from './summarizeLog';

/** The log tools, in the order the model sees them (the order is part of the cached prefix). */
export function logTools(settings: LogToolSettings = {}): ToolSpec[] {
  return [listLogFilesTool(settings), summarizeLogTool(settings), searchLogsTool(settings), readLogTool(settings)] as ToolSpec[];
}

import * as vscode from 'vscode';
import type { ToolSettings } from '../engine/toolRegistry';
import { invocationMessage } from './lmToolMessages';
import { LM_TOOL_PREFIX } from './lmToolNames';

export interface LentToolsHost {
  /** The engine bundle, loaded on first use (it is not parsed at activation). */
  loadEngine(): typeof import('./engine');
  /** The tool settings a run would use (globs, exclusions, ripgrep, Prometheus with its token). */
  toolSettings(): Promise<ToolSettings>;
  workspaceRoots(): string[];
  toolTimeoutMs(): number;
  log: vscode.LogOutputChannel;
}

/**
 * Registers our read-only tools with VS Code's Language Model API, so Copilot's agent mode (or any
 * chat participant) can search the workspace's logs through them with our confinement, redaction
 * and bounds. Skipped, with one log line, where the editor has no such API. In an untrusted
 * workspace each call is refused with a message saying why: reading logs of a folder the user has
 * not trusted is for a run the user starts, not for another agent.
 */
export function registerLanguageModelTools(host: LentToolsHost): vscode.Disposable[] {
  if (typeof vscode.lm?.registerTool !== 'function') {
    host.log.info('This editor has no Language Model tools API: the log tools are not offered to its agent mode.');
    return [];
  }
  const declared =
    (vscode.extensions.getExtension('triage-labs.incident-triage')?.packageJSON as { contributes?: { languageModelTools?: { name: string }[] } } | undefined)?.contributes?.languageModelTools ?? [];
  return declared.map(({ name }) => vscode.lm.registerTool<Record<string, unknown>>(name, lentTool(name.slice(LM_TOOL_PREFIX.length), host)));
}

function lentTool(tool: string, host: LentToolsHost): vscode.LanguageModelTool<Record<string, unknown>> {
  return {
    prepareInvocation: (options) => ({ invocationMessage: invocationMessage(tool, options.input) }),
    async invoke(options, token) {
      if (!vscode.workspace.isTrusted) return text(`${tool} is not available in an untrusted workspace: trust the folder (Manage Workspace Trust) to let agents read its logs.`);
      const { lentToolRegistry } = host.loadEngine();
      const { registry, redact } = lentToolRegistry(await host.toolSettings());
      const prepared = registry.prepare(tool, options.input);
      if (!prepared.ok) return text((await redact(prepared.content)).text);
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      try {
        const outcome = await registry.run(prepared.call, { workspaceRoots: host.workspaceRoots(), signal: abort.signal }, { timeoutMs: host.toolTimeoutMs(), redact });
        return text(outcome.content);
      } finally {
        cancelled.dispose();
      }
    },
  };
}

const text = (value: string) => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(value)]);

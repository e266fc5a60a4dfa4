import * as vscode from 'vscode';
import { callLentTool, type LentCallHost } from './lentToolCall';
import { invocationMessage } from './lmToolMessages';
import { LM_TOOL_PREFIX } from './lmToolNames';

/**
 * Registers our read-only tools with VS Code's Language Model API (final since VS Code 1.95), so
 * Copilot's agent mode (or any chat participant) can search the workspace's logs through them with
 * our confinement, redaction and bounds. The tools are the ones package.json declares (generated
 * from the engine's definitions), so nothing here lists them again. Skipped, with one log line,
 * where the editor has no such API: the rest of the extension works as before.
 */
export function registerLanguageModelTools(extension: vscode.Extension<unknown>, host: LentCallHost): vscode.Disposable[] {
  if (typeof vscode.lm?.registerTool !== 'function') {
    host.log('This editor has no Language Model tools API (VS Code 1.95+): the log tools are not offered to its agent mode.');
    return [];
  }
  const declared = (extension.packageJSON as { contributes?: { languageModelTools?: { name: string }[] } }).contributes?.languageModelTools ?? [];
  return declared.map(({ name }) => vscode.lm.registerTool<Record<string, unknown>>(name, lentTool(name.slice(LM_TOOL_PREFIX.length), host)));
}

function lentTool(tool: string, host: LentCallHost): vscode.LanguageModelTool<Record<string, unknown>> {
  return {
    // No confirmation: the tools only read, inside the workspace, and what they return is redacted.
    prepareInvocation: (options) => ({ invocationMessage: invocationMessage(tool, options.input) }),
    async invoke(options, token) {
      const abort = new AbortController();
      const cancelled = token.onCancellationRequested(() => abort.abort());
      // A token cancelled already calls a new listener only on a later tick.
      if (token.isCancellationRequested) abort.abort();
      try {
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(await callLentTool(tool, options.input, abort.signal, host))]);
      } finally {
        cancelled.dispose();
      }
    },
  };
}

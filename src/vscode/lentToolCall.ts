import type { ToolSettings } from '../engine/toolRegistry';

/** What a call from VS Code's agent mode needs from the extension, read afresh for each call so setting changes apply at once. */
export interface LentCallHost {
  /** The engine bundle, loaded on the first call (activation does not parse it). */
  loadEngine(): Pick<typeof import('./engine'), 'lentToolRegistry'>;
  /** The tool settings a run would use: globs, exclusions, ripgrep, Prometheus with its token. */
  toolSettings(): Promise<ToolSettings>;
  /** Secrets the extension holds (the API key), masked by value in every result besides the Prometheus token. */
  heldSecrets(): Promise<(string | undefined)[]>;
  workspaceRoots(): string[];
  toolTimeoutMs(): number;
  isTrusted(): boolean;
  log(message: string): void;
}

/**
 * Runs one of our read-only tools for another agent, through the engine's registry as a run
 * would: the arguments checked against the tool's schema, reads confined to the workspace
 * folders, the extension's time limit, redaction (also of the secrets the extension holds),
 * the ~8,000-character bound. Always resolves with text for the model; a refusal or failure
 * says what to do, so the agent can go on.
 */
export async function callLentTool(tool: string, input: unknown, signal: AbortSignal, host: LentCallHost): Promise<string> {
  // The manifest keeps the extension off in untrusted workspaces; should trust be withdrawn in a session, calls stop here.
  if (!host.isTrusted()) return `${tool} is not available in an untrusted workspace: the user must trust the folder (Manage Workspace Trust) before agents may read its logs.`;
  const workspaceRoots = host.workspaceRoots();
  if (workspaceRoots.length === 0)
    return `${tool} reads the logs of the folders open in VS Code, and no local folder is open: ask the user to open the folder that holds the logs (File > Open Folder).`;
  try {
    const [settings, secrets] = await Promise.all([host.toolSettings(), host.heldSecrets()]);
    const { registry, redact } = host.loadEngine().lentToolRegistry(settings, secrets);
    const prepared = registry.prepare(tool, input);
    if (!prepared.ok) return (await redact(prepared.content)).text;
    const outcome = await registry.run(prepared.call, { workspaceRoots, signal }, { timeoutMs: host.toolTimeoutMs(), redact });
    return outcome.content;
  } catch (err) {
    // The registry never throws: this is secret storage or the engine bundle failing, and nothing of the logs is in the message.
    const why = err instanceof Error ? err.message : String(err);
    host.log(`Agent-mode call of ${tool} failed: ${why}`);
    return `${tool} could not run in the Incident Triage extension (${why}). Do not retry it now; go on without it and tell the user.`;
  }
}

import * as vscode from 'vscode';
import { checkHeaderSecret } from '../security/headerSecret';

/** SecretStorage keys: the only place secrets are kept. */
const API_KEY = 'incidentTriage.anthropicApiKey';
const PROMETHEUS_TOKEN = 'incidentTriage.prometheusBearerToken';
const MCP_SECRET = 'incidentTriage.mcp.';
/** Anthropic keys look like sk-ant-api03-…; gateways may issue other shapes, which get a warning, not a refusal. */
const KEY_SHAPE = /^sk-ant-[A-Za-z0-9_-]{20,}$/;

export class Secrets {
  constructor(private readonly storage: vscode.SecretStorage) {}

  /** The stored key, else ANTHROPIC_API_KEY from the environment. */
  async apiKey(): Promise<string | undefined> {
    return (await this.storage.get(API_KEY)) ?? (process.env.ANTHROPIC_API_KEY || undefined);
  }

  async prometheusToken(): Promise<string | undefined> {
    return this.storage.get(PROMETHEUS_TOKEN);
  }

  /** Asks for the key in a password box; resolves true when one was stored. */
  async promptForApiKey(): Promise<boolean> {
    const key = await vscode.window.showInputBox({
      title: 'Incident Triage: Anthropic API key',
      prompt: "Stored in VS Code's secret storage only. Create a key at console.anthropic.com → API Keys.",
      placeHolder: 'sk-ant-…',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => {
        if (!value.trim()) return 'Paste the key, or press Escape to cancel.';
        const checked = checkHeaderSecret(value, 'The key');
        if (!checked.ok) return checked.problem;
        return KEY_SHAPE.test(checked.key)
          ? undefined
          : { message: 'This does not look like an Anthropic key (sk-ant-…). Fine for a gateway; otherwise check it.', severity: vscode.InputBoxValidationSeverity.Warning };
      },
    });
    const checked = key === undefined ? undefined : checkHeaderSecret(key, 'The key');
    if (!checked?.ok) return false;
    await this.storage.store(API_KEY, checked.key);
    return true;
  }

  /** An MCP server's secret, as its configuration references it (`${secret:NAME}`). */
  async mcpSecret(name: string): Promise<string | undefined> {
    return this.storage.get(`${MCP_SECRET}${name}`);
  }

  /** Asks for an MCP secret's name and value (in a password box) and stores it; resolves the name, or undefined when cancelled. */
  async promptForMcpSecret(): Promise<string | undefined> {
    const name = await vscode.window.showInputBox({
      title: 'Incident Triage: MCP secret name',
      prompt: 'The NAME your incidentTriage.mcpServers setting references as ${secret:NAME}.',
      ignoreFocusOut: true,
      validateInput: (value) => (/^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/.test(value) ? undefined : 'Letters, digits, "_", "." and "-", starting with a letter or "_".'),
    });
    if (!name) return undefined;
    const value = await vscode.window.showInputBox({ title: `Incident Triage: value of ${name}`, prompt: "Stored in VS Code's secret storage only.", password: true, ignoreFocusOut: true });
    if (!value) return undefined;
    await this.storage.store(`${MCP_SECRET}${name}`, value);
    return name;
  }

  async clearApiKey(): Promise<void> {
    await this.storage.delete(API_KEY);
  }

  async storeApiKey(key: string): Promise<void> {
    await this.storage.store(API_KEY, key);
  }
}

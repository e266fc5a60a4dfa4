import { redactorFor } from '../security/knownSecrets';
import type { Redact } from '../security/redaction';
import { ToolRegistry } from '../tools/registry';
import { investigationTools, type ToolSettings } from './toolRegistry';

/**
 * Our read-only tools for another agent (VS Code's agent mode): the registry a run would use,
 * without the report tool, with redaction that also masks the values the host holds by value
 * (a Prometheus token).
 */
export function lentToolRegistry(settings: ToolSettings, secrets: readonly (string | undefined)[] = []): { registry: ToolRegistry; redact: Redact } {
  const redact = redactorFor([...secrets, settings.prometheus?.bearerToken]);
  return { registry: new ToolRegistry(investigationTools(settings), { redact }), redact };
}

/**
 * The `languageModelTools` contribution in package.json, derived from the engine's own tool
 * definitions so the two cannot drift (test/unit/vscode/lmToolsManifest.test.ts holds them equal).
 *   npm run sync:lm-tools   rewrites package.json after a tool's description or schema changed
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createToolRegistry, investigationTools } from '../src/engine/toolRegistry';
import { LM_TOOL_PREFIX } from '../src/vscode/lmToolNames';

const ROOT = path.resolve(__dirname, '..');

export function lmToolsManifest(): object[] {
  const names = new Set(investigationTools().map((t) => t.name));
  return createToolRegistry()
    .definitions()
    .filter((d) => names.has(d.name))
    .map((d) => ({
      name: `${LM_TOOL_PREFIX}${d.name}`,
      toolReferenceName: d.name.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase()),
      displayName: d.name.charAt(0).toUpperCase() + d.name.slice(1).replaceAll('_', ' '),
      modelDescription: d.description,
      userDescription: firstSentence(d.description ?? ''),
      canBeReferencedInPrompt: true,
      icon: '$(search)',
      tags: ['logs', 'incident-triage'],
      inputSchema: d.input_schema,
    }));
}

const firstSentence = (text: string) => /^.*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;

if (require.main === module) {
  const file = path.join(ROOT, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { contributes: Record<string, unknown> };
  manifest.contributes.languageModelTools = lmToolsManifest();
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  console.error('package.json: languageModelTools updated');
}

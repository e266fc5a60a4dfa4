/**
 * The `languageModelTools` contribution in package.json, derived from the engine's own tool
 * definitions so the two cannot drift (test/unit/vscode/lmToolsManifest.test.ts holds them equal).
 *   npm run sync:lm-tools   rewrites package.json after a tool's description or schema changed
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lentToolRegistry } from '../src/engine/lentTools';
import { toolTitle } from '../src/tools/registry';
import { LM_TOOL_PREFIX } from '../src/vscode/lmToolNames';

const ROOT = path.resolve(__dirname, '..');

/**
 * What the user sees of each tool in the chat's tool picker (the model reads the engine's own
 * description): a tool lent without an entry here fails the sync and the manifest test.
 */
const FOR_USERS: Record<string, { userDescription: string; icon: string }> = {
  list_log_files: { userDescription: "Lists the workspace's log files with their size, format and the time span each covers.", icon: '$(files)' },
  summarize_log: { userDescription: 'Summarizes one log file: levels over time, the first burst of errors and the most frequent message templates.', icon: '$(list-tree)' },
  compare_log_windows: { userDescription: 'Compares the incident window with the window before it: new, surging and silent message templates.', icon: '$(diff)' },
  search_logs: { userDescription: "Searches the workspace's logs by text or regular expression, level and time window.", icon: '$(search)' },
  read_log: { userDescription: 'Reads exact lines of one log file, a range or around a line.', icon: '$(go-to-file)' },
  query_metrics: { userDescription: "Shows how a service's latency, error rate, throughput or CPU moved (Prometheus or the workspace's metric files).", icon: '$(graph-line)' },
  get_recent_deploys: { userDescription: 'Lists recent commits, tags and deploy records: what changed before the incident.', icon: '$(git-commit)' },
};

/** The entries for the tools agent mode is lent: the same registry, so the same names, order, descriptions and schemas. */
export function lmToolsManifest(): object[] {
  return lentToolRegistry({})
    .registry.definitions()
    .map((d) => {
      const forUsers = FOR_USERS[d.name];
      if (!forUsers) throw new Error(`scripts/lm-tools-manifest.ts: say in FOR_USERS what ${d.name} does for the user, and pick its icon.`);
      return {
        name: `${LM_TOOL_PREFIX}${d.name}`,
        toolReferenceName: d.name.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase()),
        displayName: toolTitle(d.name),
        modelDescription: d.description,
        userDescription: forUsers.userDescription,
        canBeReferencedInPrompt: true,
        icon: forUsers.icon,
        tags: ['logs', 'incident-triage'],
        inputSchema: d.input_schema,
      };
    });
}

if (require.main === module) {
  const file = path.join(ROOT, 'package.json');
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { contributes: Record<string, unknown> };
  manifest.contributes.languageModelTools = lmToolsManifest();
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  console.error('package.json: languageModelTools updated');
}

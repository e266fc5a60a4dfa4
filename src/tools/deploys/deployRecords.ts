import { findWorkspaceFiles } from '../workspaceFiles';
import { withRegularFile } from '../regularFile';
import type { Change } from './gitHistory';
import { fieldText } from '../fieldText';

export const DEPLOY_RECORD_GLOBS = ['**/deploys.json', '**/deploys.csv', '**/.deploys/*.json'];

interface DeployRecord {
  service?: unknown;
  version?: unknown;
  time?: unknown;
  author?: unknown;
  description?: unknown;
}

/** Deploys listed in the workspace's record files: deploys.json, deploys.csv or .deploys/*.json. */
export async function recordedDeploys(roots: readonly string[], exclude?: readonly string[]): Promise<{ changes: Change[]; notes: string[] }> {
  const changes: Change[] = [];
  const notes: string[] = [];
  for (const file of await findWorkspaceFiles(roots, DEPLOY_RECORD_GLOBS, exclude)) {
    try {
      const text = await withRegularFile(file.real, file.relative, (handle) => handle.readFile('utf8'));
      const records: DeployRecord[] = file.relative.endsWith('.csv') ? parseCsv(text) : [JSON.parse(text) as DeployRecord | DeployRecord[]].flat();
      for (const r of records) {
        const time = Date.parse(fieldText(r.time));
        if (Number.isNaN(time)) throw new Error(`a record has no readable time: ${JSON.stringify(r).slice(0, 120)}`);
        changes.push({
          time,
          kind: 'deploy',
          ref: fieldText(r.version, '?'),
          service: fieldText(r.service, '?'),
          subject: fieldText(r.description),
          ...(r.author ? { author: fieldText(r.author) } : {}),
          source: file.relative,
        });
      }
    } catch (err) {
      notes.push(`[skipped ${file.relative}: ${(err as Error).message}]`);
    }
  }
  return { changes, notes };
}

function parseCsv(text: string): DeployRecord[] {
  const [header, ...rows] = text.split(/\r?\n/).filter((l) => l.trim());
  const columns = (header ?? '').split(',').map((c) => c.trim().toLowerCase());
  return rows.map((row) => {
    const cells = row.split(',');
    return Object.fromEntries(columns.map((c, i) => [c, (cells[i] ?? '').trim()]));
  });
}

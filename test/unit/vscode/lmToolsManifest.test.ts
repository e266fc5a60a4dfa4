import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { investigationTools } from '../../../src/engine/toolRegistry';
import { lmToolsManifest } from '../../../scripts/lm-tools-manifest';

describe('the Language Model tools in package.json', () => {
  it("are the engine's read-only tools, with the descriptions and input schemas its model gets (run `npm run sync:lm-tools` after changing a tool)", () => {
    const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8')) as { contributes: { languageModelTools: unknown[] } };
    assert.deepEqual(manifest.contributes.languageModelTools, lmToolsManifest());
    const names = (manifest.contributes.languageModelTools as { name: string }[]).map((t) => t.name);
    assert.deepEqual(
      names,
      ['list_log_files', 'summarize_log', 'compare_log_windows', 'search_logs', 'read_log', 'query_metrics', 'get_recent_deploys'].map((n) => `incidentTriage_${n}`),
    );
  });

  it('lend no tool with side effects: lent calls have no approval step, so such a tool would be offered to other agents and always refused', () => {
    const lent = investigationTools();
    assert.equal(lent.length, 7);
    assert.deepEqual(
      lent.filter((t) => t.risk !== 'read-only').map((t) => t.name),
      [],
    );
  });
});

import assert from 'node:assert/strict';
import { mkdtemp, mkdir, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getRecentDeploysTool } from '../../../src/tools/deploys/getRecentDeploys';
import type { ToolContext } from '../../../src/tools/registry';
import { commit, git } from './gitFixture';

const NOW = Date.UTC(2026, 10, 20, 15, 0);
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

describe('get_recent_deploys', () => {
  let repo: string;
  let plain: string;
  let outside: string;
  const ctx = (root: string): ToolContext => ({ workspaceRoots: [root], signal: new AbortController().signal, now: () => NOW });
  const run = async (root: string, args: Parameters<ReturnType<typeof getRecentDeploysTool>['run']>[0]) => (await getRecentDeploysTool({}).run(args, ctx(root))).text;

  before(async () => {
    repo = await realpath(await mkdtemp(path.join(os.tmpdir(), 'triage-git-')));
    plain = await realpath(await mkdtemp(path.join(os.tmpdir(), 'triage-nogit-')));
    outside = await realpath(await mkdtemp(path.join(os.tmpdir(), 'triage-deploys-out-')));
    git(repo, ['init', '-q', '-b', 'main']);
    await commit(repo, 'README.md', 'Initial commit', ago(3 * 24 * 60));
    await commit(repo, 'services/payments/config.yml', 'payments: read pool size from env', ago(120));
    git(repo, ['checkout', '-q', '-b', 'feature']);
    await commit(repo, 'services/checkout/button.ts', 'checkout: bigger pay button', ago(90));
    git(repo, ['checkout', '-q', 'main']);
    git(repo, ['merge', '-q', '--no-ff', 'feature', '-m', 'Merge branch feature'], ago(60));
    git(repo, ['tag', '-a', 'v2.14.0', '-m', 'payments 2.14.0'], ago(30));
    await writeFile(
      path.join(repo, 'deploys.json'),
      JSON.stringify([
        { service: 'payments', version: '2.14.0', time: ago(20), author: 'ci-bot', description: 'Deploy payments' },
        { service: 'payments', version: '2.15.0', time: ago(-30), author: 'ci-bot', description: 'Scheduled for later' },
      ]),
    );
    await mkdir(path.join(plain, '.deploys'), { recursive: true });
    await writeFile(path.join(plain, '.deploys', 'search.json'), JSON.stringify({ service: 'search', version: '3.2.0', time: ago(45), description: 'Synonyms' }));
    await writeFile(path.join(plain, 'deploys.csv'), `service,version,time,author,description\ninventory,1.4.2,${ago(10)},lee,Rebalance stock job\n`);
    await writeFile(path.join(outside, 'deploys.json'), JSON.stringify([{ service: 'secret', version: '9', time: ago(5) }]));
    await mkdir(path.join(plain, 'linked'), { recursive: true });
    await symlink(path.join(outside, 'deploys.json'), path.join(plain, 'linked', 'deploys.json'));
  });
  after(async () => {
    for (const dir of [repo, plain, outside]) await rm(dir, { recursive: true, force: true });
  });

  it('lists commits, merges, tags and recorded deploys in the window, oldest first, with how long ago', async () => {
    const text = await run(repo, { since_minutes: 180 });
    const lines = text.split('\n');
    assert.match(lines[0]!, /^5 changes in the last 180 minutes, oldest first:$/);
    assert.match(lines[1]!, /^2026-11-20T13:00:00\.000Z \(2h 0m ago\) commit [0-9a-f]{10} by Dana Kim: payments: read pool size from env files: services\/payments\/config\.yml \[triage-git-\w+\]$/);
    assert.match(lines[2]!, /\(1h 30m ago\) commit .*checkout: bigger pay button files: services\/checkout\/button\.ts/);
    assert.match(lines[3]!, /\(1h 0m ago\) merge [0-9a-f]{10} by Dana Kim: Merge branch feature/);
    assert.match(lines[4]!, /\(30m ago\) tag v2\.14\.0 by Dana Kim: payments 2\.14\.0/);
    assert.match(lines[5]!, /\(20m ago\) deploy payments 2\.14\.0 by ci-bot: Deploy payments \[deploys\.json\]/);
    assert.doesNotMatch(text, /Initial commit|Scheduled for later/, 'outside the window, or in the future');
  });

  it('filters by service through paths, subjects and deploy records', async () => {
    const text = await run(repo, { service: 'payments', since_minutes: 180 });
    assert.match(text, /^3 changes/);
    assert.match(text, /read pool size from env/);
    assert.match(text, /tag v2\.14\.0/);
    assert.match(text, /deploy payments 2\.14\.0/);
    assert.doesNotMatch(text, /checkout/);
  });

  it('reports only the commits touching a workspace folder inside a larger repository, without tags', async () => {
    const text = await run(path.join(repo, 'services', 'payments'), { since_minutes: 180 });
    assert.match(text, /^1 change in the last 180 minutes/);
    assert.match(text, /payments: read pool size from env files: config\.yml \[payments\]/);
    assert.match(text, /\[payments is inside a larger git repository: only its commits that touch this folder are listed, without tags\]/);
    assert.doesNotMatch(text, /checkout|v2\.14\.0|README/);
  });

  it('reads deploy records without git, and never a record linked from outside the workspace', async () => {
    const text = await run(plain, { since_minutes: 60 });
    assert.match(text, /deploy search 3\.2\.0: Synonyms \[\.deploys\/search\.json\]/);
    assert.match(text, /deploy inventory 1\.4\.2 by lee: Rebalance stock job \[deploys\.csv\]/);
    assert.doesNotMatch(text, /secret/);
    assert.doesNotMatch(text, /git history/, 'a folder that is not a repository is not an error');
  });

  it('clamps a huge window with a note, and says when nothing changed', async () => {
    assert.match(await run(plain, { since_minutes: 100_000 }), /\[since_minutes 100000 clamped to 10080 \(7 days\)\]/);
    assert.match(await run(plain, { service: 'billing', since_minutes: 60 }), /^No deploys, commits or tags mentioning "billing" in the last 60 minutes\./);
  });
});

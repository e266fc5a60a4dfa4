import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EvidenceVerification } from '../../../src/shared/report';
import type { ToolObservation } from '../../../src/agent/evidence/observations';
import { getRecentDeploysTool } from '../../../src/tools/deploys/getRecentDeploys';
import { writeFiles } from '../../fixtures/workspace';
import { commit, git } from '../tools/gitFixture';
import { check, NOW, reportWith } from './fixture';

describe('evidence deploys and commits: a ref checked against the get_recent_deploys results of this run', () => {
  let root: string;
  let hash = '';
  const observed: ToolObservation[] = [];

  async function verify(kind: 'deploy' | 'commit', ref: string, results = observed): Promise<EvidenceVerification> {
    return (await check(root, reportWith([{ kind, ref, why: 'test' }]), results)).report.evidence[0]!.verification;
  }

  before(async () => {
    root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'triage-evidence-deploys-')));
    await writeFiles(root, { 'deploys.json': JSON.stringify([{ service: 'payments', version: '2.14.0', time: '2026-11-20T14:02:05Z', description: 'Read DB pool size from env' }]) });
    git(root, ['init', '-q', '-b', 'main']);
    await commit(root, 'payments/pool.ts', 'Default the pool to 5 connections', '2026-11-20T13:50:00Z');
    hash = git(root, ['rev-parse', 'HEAD']).trim();
    const input = { since_minutes: 1440 };
    const { text } = await getRecentDeploysTool({}).run(input, { workspaceRoots: [root], signal: new AbortController().signal, now: () => NOW });
    assert.ok(text.includes(hash.slice(0, 10)) && !text.includes(hash.slice(0, 11)) && text.includes('2.14.0'), `precondition: the tool printed a 10-digit hash and the version:\n${text}`);
    observed.push({ name: 'get_recent_deploys', input, text });
  });
  after(async () => rm(root, { recursive: true, force: true }));

  it('a commit by a prefix of at least 7 hex digits, shorter or longer than the one printed, in any case', async () => {
    for (const ref of [hash.slice(0, 7), hash.slice(0, 10), hash, hash.slice(0, 12).toUpperCase()]) assert.deepEqual(await verify('commit', ref), { status: 'verified' }, ref);
  });

  it('not a different hash, nor one too short to name a commit', async () => {
    const other = hash.startsWith('0') ? `1${hash.slice(1, 10)}` : `0${hash.slice(1, 10)}`;
    assert.deepEqual(await verify('commit', other), { status: 'unverified', reason: `commit "${other}" is not in this run's get_recent_deploys results` });
    assert.equal((await verify('commit', hash.slice(0, 6))).status, 'unverified');
  });

  it('a deploy by its version as a whole token, not a part of it or a neighbour', async () => {
    assert.deepEqual(await verify('deploy', '2.14.0'), { status: 'verified' });
    for (const ref of ['2.14', '2.14.1', '14.0']) assert.equal((await verify('deploy', ref)).status, 'unverified', ref);
  });

  it('not a bare word the result happens to print: a service, an author, "ago"', async () => {
    for (const ref of ['payments', 'ago', 'main']) {
      const check = await verify('deploy', ref);
      assert.equal(check.status, 'unverified', ref);
      assert.match(check.status === 'unverified' ? check.reason : '', /is not a version, deploy id or commit hash/);
    }
  });

  it('nothing, when get_recent_deploys was not called in this run', async () => {
    assert.deepEqual(await verify('deploy', '2.14.0', []), { status: 'unverified', reason: 'no get_recent_deploys result in this run to find deploy "2.14.0" in' });
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { childEnv } from '../../../src/security/childEnv';
import { findRipgrepOnPath } from '../../../src/tools/logs/ripgrep';
import { runSearch } from '../../../src/tools/logs/searchLogs';
import { workspaceWithEscape, type EscapingWorkspace } from '../../fixtures/workspace';
import { markerScript } from './gitFixture';

describe('the environment of the programs we spawn', () => {
  const ours: NodeJS.ProcessEnv = {
    PATH: ['/usr/local/bin', '.', '', 'node_modules/.bin', '/usr/bin'].join(path.delimiter),
    HOME: '/home/dana',
    LANG: 'de_DE.UTF-8',
    LC_ALL: 'de_DE.UTF-8',
    LC_TIME: 'C',
    TZ: 'Europe/Berlin',
    ANTHROPIC_API_KEY: 'sk-ant-api03-secret',
    PROMETHEUS_BEARER_TOKEN: 'prom-secret',
    AWS_SECRET_ACCESS_KEY: 'aws-secret',
    GITHUB_TOKEN: 'ghp_secret',
    GIT_DIR: '/elsewhere/.git',
    GIT_CONFIG_COUNT: '1',
    RIPGREP_CONFIG_PATH: '/elsewhere/rgrc',
    LD_PRELOAD: '/elsewhere/hook.so',
    NODE_OPTIONS: '--require /elsewhere/hook.js',
  };

  it('passes PATH (absolute folders only), HOME, LANG, LC_* and TZ, and nothing else', () => {
    assert.deepEqual(childEnv({}, ours), {
      PATH: ['/usr/local/bin', '/usr/bin'].join(path.delimiter),
      HOME: '/home/dana',
      LANG: 'de_DE.UTF-8',
      LC_ALL: 'de_DE.UTF-8',
      LC_TIME: 'C',
      TZ: 'Europe/Berlin',
    });
  });

  it('adds what the caller sets, and keeps the spelling Windows gives names', () => {
    assert.deepEqual(childEnv({ GIT_CONFIG_NOSYSTEM: '1' }, { Path: '/usr/bin', SystemRoot: 'C:\\Windows', Token: 'x' }), {
      Path: '/usr/bin',
      SystemRoot: 'C:\\Windows',
      GIT_CONFIG_NOSYSTEM: '1',
    });
  });

  it('finds rg only in absolute PATH folders, never one planted in the current folder', async () => {
    const ws = await workspaceWithEscape('triage-rgpath', {}, { link: 'x', content: '' });
    try {
      const planted = path.join(ws.root, 'rg');
      await writeFile(planted, '#!/bin/sh\n');
      await chmod(planted, 0o755);
      const cwd = process.cwd();
      process.chdir(ws.root);
      try {
        assert.equal(findRipgrepOnPath({ PATH: ['.', ''].join(path.delimiter) }), undefined);
        assert.equal(findRipgrepOnPath({ PATH: ws.root }), planted, 'control: the same folder, given absolutely, is searched');
      } finally {
        process.chdir(cwd);
      }
    } finally {
      await ws.dispose();
    }
  });

  describe('ripgrep', () => {
    const rg = findRipgrepOnPath();
    let ws: EscapingWorkspace;
    let marker: string;
    before(async function () {
      if (!rg) this.skip();
      ws = await workspaceWithEscape('triage-rgenv', { 'logs/app.log': '2026-11-20T14:00:00Z ERROR timeout\n' }, { link: 'logs/x.log', content: '' });
      marker = path.join(ws.outside, 'marker');
    });
    after(async () => ws?.dispose());

    it('runs no preprocessor from a RIPGREP_CONFIG_PATH of ours', async () => {
      // A ripgrep configuration with --pre runs a program on every file searched.
      const evil = await markerScript(path.join(ws.outside, 'pre'), marker);
      const config = path.join(ws.outside, 'rgrc');
      await mkdir(path.dirname(config), { recursive: true });
      await writeFile(config, `--pre=${evil}\n`);
      const savedKey = process.env.ANTHROPIC_API_KEY;
      process.env.RIPGREP_CONFIG_PATH = config;
      process.env.ANTHROPIC_API_KEY = 'sk-ant-must-not-reach-rg';
      try {
        execFileSync(rg!, ['timeout', path.join(ws.root, 'logs')], { env: process.env, stdio: 'ignore' });
      } catch {
        // the preprocessor fails on purpose
      }
      try {
        assert.match(readFileSync(marker, 'utf8'), /sk-ant-must-not-reach-rg/, 'control: ripgrep runs it, with our environment');
        rmSync(marker);
        const { text } = await runSearch({ query: 'timeout' }, { workspaceRoots: [ws.root], signal: new AbortController().signal, settings: { ripgrepPath: rg } });
        assert.match(text, /^== logs\/app\.log ==\n1: /);
        assert.equal(existsSync(marker), false, 'no preprocessor ran');
      } finally {
        delete process.env.RIPGREP_CONFIG_PATH;
        if (savedKey === undefined) delete process.env.ANTHROPIC_API_KEY;
        else process.env.ANTHROPIC_API_KEY = savedKey;
      }
    });
  });
});

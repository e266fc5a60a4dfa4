import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../fixtures/workspace';

export const ROOT = path.resolve(__dirname, '..', '..');
const CODE_SERVER = path.join(ROOT, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');
export const hasCodeServer = () => existsSync(CODE_SERVER) && existsSync('/usr/bin/chromium');

export interface Workbench {
  port: number;
  workspace: string;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/**
 * code-server (VS Code 1.100 in its real Node extension host) on loopback with a copy of the
 * sample workspace, and Debian's Chromium driven by playwright-core. `payload` carries
 * extensionDevelopmentPath (and extensionTestsPath for extension-host tests).
 */
export async function openWorkbench(options: {
  tests?: string;
  env?: NodeJS.ProcessEnv;
  onExit?: (code: number) => void;
  /** The extension host's console, formatted (mocha's report, for instance). */
  onConsole?: (line: string) => void;
  /** code-server's own output. */
  onServerLog?: (line: string) => void;
}): Promise<Workbench> {
  const port = await freePort();
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'triage-vscode-'));
  const workspace = path.join(scratch, 'checkout-incident');
  cpSync(path.join(ROOT, 'samples', 'checkout-incident'), workspace, { recursive: true });
  const server: ChildProcess = spawn(
    CODE_SERVER,
    [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir',
      path.join(scratch, 'user'),
      '--extensions-dir',
      path.join(scratch, 'extensions'),
      workspace,
    ],
    { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout?.on('data', (d: Buffer) => options.onServerLog?.(d.toString()));
  server.stderr?.on('data', (d: Buffer) => options.onServerLog?.(d.toString()));
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline) throw new Error('code-server did not start within 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => options.onConsole?.(format(...args)));
  await page.exposeFunction('codeAutomationExit', (code: number) => options.onExit?.(code));
  const remote = (p: string) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = JSON.stringify([['extensionDevelopmentPath', remote(ROOT)], ...(options.tests ? [['extensionTestsPath', remote(options.tests)]] : []), ['skipWelcome', 'true']]);
  await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`);
  return {
    port,
    workspace,
    browser,
    page,
    async close() {
      await browser.close();
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode === null ? server.once('exit', r) : r(undefined)));
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

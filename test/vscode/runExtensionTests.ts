/**
 * npm run test:vscode — the extension-host tests (test/vscode/suite) inside a real VS Code:
 * code-server's Node extension host here and in CI. Where VS Code can be downloaded,
 * `node test/vscode/runWithElectron.js` runs the same suite with @vscode/test-electron.
 */
import { buildSync } from 'esbuild';
import path from 'node:path';
import { ROOT, hasCodeServer, openWorkbench } from './codeServer';

async function main(): Promise<number> {
  if (!hasCodeServer()) {
    // A developer's machine without code-server skips, saying how to run them; CI must run them.
    console.log(`${process.env.CI ? 'FAILED' : 'skipped'}: the VS Code tests need code-server and Chromium; run \`npm run setup:vscode\` (root, Debian) first.`);
    return process.env.CI ? 1 : 0;
  }
  const suite = path.join(ROOT, 'dist-test', 'suite.js');
  buildSync({
    entryPoints: [path.join(__dirname, 'suite', 'index.ts')],
    outfile: suite,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    sourcemap: 'inline',
    logLevel: 'error',
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl' },
  });
  let exit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (exit = resolve));
  const bench = await openWorkbench({
    tests: suite,
    onExit: (code) => exit(code),
    // The extension host's console (mocha's report) arrives through codeAutomationLog.
    // code-server's failed look-up of the extension gallery (there is no network) is noise.
    onConsole: (line) => /open-vsx\.org|workbench\.js:\d+|^Creating a socket|^Resolv/.test(line) || process.stdout.write(`${line}\n`),
    onServerLog: (line) => process.env.VSCODE_TEST_VERBOSE && process.stderr.write(line),
  });
  const timeout = setTimeout(() => exit(124), 5 * 60_000);
  const code = await exited;
  clearTimeout(timeout);
  await bench.close();
  if (code === 124) console.error('extension-host tests timed out after 5 minutes');
  return code;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);

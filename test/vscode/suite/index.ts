import Mocha from 'mocha';

/**
 * The suite's files, in the order they must run: the first test checks that nothing activated
 * the extension before it, the last one deactivates it. Literal import() paths, for esbuild to bundle;
 * a bundled module runs only when its import() is called, so each file loads after its pre-require.
 */
const FILES: [name: string, load: () => Promise<unknown>][] = [
  ['extension.test', () => import('./extension.test')],
  ['views.test', () => import('./views.test')],
  ['mcp.test', () => import('./mcp.test')],
  ['lmTools.test', () => import('./lmTools.test')],
  // Last: it deactivates the extension.
  ['lifetimes.test', () => import('./lifetimes.test')],
];

/** Entry point VS Code calls in the extension host (extensionTestsPath). */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  for (const [name, load] of FILES) {
    mocha.suite.emit('pre-require', globalThis, name, mocha);
    // Loaded after mocha defined its globals (describe, it) for the file, and before the next file's.
    await load();
  }
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => (failures ? reject(new Error(`${failures} extension-host tests failed`)) : resolve()));
    // The spec reporter's summary of failures can be lost when the host exits: each is printed as it happens.
    runner.on('fail', (test, err: Error) => console.log(`FAILED: ${test.fullTitle()}: ${err.message}`));
  });
}

import Mocha from 'mocha';

/** Entry point VS Code calls in the extension host (extensionTestsPath). */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'extension.test', mocha);
  // Loaded after mocha defined its globals (describe, it) for the file.
  require('./extension.test');
  await new Promise<void>((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} extension-host tests failed`)) : resolve()));
  });
}

/**
 * Bundles each entry point into one file (fast to load, nothing to resolve at run time).
 *   npx tsx scripts/build.ts [--watch]
 */
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { build, context, type BuildOptions } from 'esbuild';

const production = process.env.NODE_ENV === 'production';

const importMetaUrl: BuildOptions = {
  // ESM dependencies (fdir) read import.meta.url, which a CJS bundle must provide.
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__importMetaUrl' },
};

const bundles: BuildOptions[] = [
  {
    // The extension host adapter: CommonJS with vscode provided by the host. Small, so that
    // activation is fast; it requires the engine bundle on the first run.
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', './engine.js'],
    ...importMetaUrl,
  },
  {
    entryPoints: ['src/vscode/engine.ts'],
    outfile: 'dist/engine.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    ...importMetaUrl,
  },
  {
    // The webviews: browser bundles, one per view.
    entryPoints: { panel: 'src/webview/ui/main.ts', cost: 'src/webview/ui/cost.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
  },
  {
    entryPoints: ['src/cli/index.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    ...importMetaUrl,
    banner: { js: `#!/usr/bin/env node\n${importMetaUrl.banner!.js}` },
  },
];

/** Stylesheets and the codicon font the webviews load (and nothing else: localResourceRoots is dist/webview). */
function copyWebviewAssets(): void {
  const out = path.join('dist', 'webview');
  mkdirSync(out, { recursive: true });
  for (const file of ['panel.css', 'cost.css']) cpSync(path.join('media', file), path.join(out, file));
  for (const file of ['codicon.css', 'codicon.ttf']) cpSync(path.join('node_modules', '@vscode', 'codicons', 'dist', file), path.join(out, file));
  // The panel's metric charts: uPlot's own layout rules (its canvas and axes are positioned by them).
  cpSync(path.join('node_modules', 'uplot', 'dist', 'uPlot.min.css'), path.join(out, 'uPlot.min.css'));
}

async function main(): Promise<void> {
  copyWebviewAssets();
  const common: BuildOptions = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info', legalComments: 'none' };
  if (process.argv.includes('--watch')) {
    for (const options of bundles) await (await context({ ...common, ...options })).watch();
    return;
  }
  await Promise.all(bundles.map((options) => build({ ...common, ...options })));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

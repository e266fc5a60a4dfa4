/**
 * Bundles each entry point into one file (fast to load, nothing to resolve at run time).
 *   npx tsx scripts/build.ts [--watch]
 */
import { build, context, type BuildOptions } from 'esbuild';

const production = process.env.NODE_ENV === 'production';

const bundles: BuildOptions[] = [
  {
    entryPoints: ['src/cli/index.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // ESM dependencies (fdir) read import.meta.url, which a CJS bundle must provide.
    banner: { js: "#!/usr/bin/env node\nconst __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl' },
  },
];

async function main(): Promise<void> {
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

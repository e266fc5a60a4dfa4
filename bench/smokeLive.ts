/**
 * npm run smoke:live
 *
 * One incident against the real Anthropic API when ANTHROPIC_API_KEY is set (skipped
 * otherwise): the CLI on the sample workspace, twice, so the second run shows the cached prefix
 * being read. Prints each call's usage and cost, as the CLI does. Set SMOKE_MODEL to choose the
 * model (default: the CLI's default).
 */
import path from 'node:path';
import { main } from '../src/cli/main';
import { CHECKOUT_DESCRIPTION } from '../test/fixtures/scenarios/checkoutIncident';

async function smoke(): Promise<number> {
  if (!process.env.ANTHROPIC_API_KEY) {
    console.log('smoke:live skipped: ANTHROPIC_API_KEY is not set (this check calls the real API and costs a few cents).');
    return 0;
  }
  const workspace = path.resolve(__dirname, '..', 'samples', 'checkout-incident');
  const model = process.env.SMOKE_MODEL ? ['--model', process.env.SMOKE_MODEL] : [];
  for (const run of [1, 2]) {
    console.log(`\n=== live run ${run} of 2 ===`);
    const code = await main(['triage', '--workspace', workspace, '--max-steps', '6', ...model, CHECKOUT_DESCRIPTION], { stdout: process.stdout, stderr: process.stderr, env: process.env });
    if (code !== 0) return code;
  }
  return 0;
}

smoke().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);

import { existsSync } from 'node:fs';
import path from 'node:path';
import { CHECKOUT_DESCRIPTION, checkoutIncidentScenario } from '../demo/checkoutIncident';
import { startReplayServer } from '../demo/replayServer';
import type { TriageOptions } from './args';
import { runAndRender, type CliIo } from './runAndRender';

const SAMPLE = path.join('samples', 'checkout-incident');
/** When the recording was made, in the sample's time: relative windows ("the last day") count from it. */
const RECORDED_AT = new Date('2026-11-20T14:25:00Z');
/** Pause between streamed chunks, so the replay streams at a readable pace. */
const DEMO_CHUNK_DELAY_MS = 15;

/**
 * Runs the engine on the bundled sample workspace against a local Messages API replaying a
 * recorded model. The tools, the loop and the rendering are the real ones; only the model is not.
 */
export async function runDemo(options: TriageOptions, io: CliIo): Promise<number> {
  const server = await startReplayServer({ scenario: checkoutIncidentScenario, chunkDelayMs: options.fast || options.json ? 0 : DEMO_CHUNK_DELAY_MS });
  try {
    const banner =
      "DEMO — the model's side is a REPLAY of a recorded run, served by a local Messages API emulator.\n" +
      `The tools run for real on ${SAMPLE}, with the clock set to the recording's time (${RECORDED_AT.toISOString()}).\n` +
      'Run `incident-triage triage` with ANTHROPIC_API_KEY for a live run.\n';
    return await runAndRender(
      // The replay server accepts any key; this placeholder never leaves the machine.
      { apiKey: 'demo-replay', baseUrl: server.url },
      { ...options, workspace: findSampleWorkspace(), description: options.description || CHECKOUT_DESCRIPTION, thinking: { mode: 'auto' } },
      io,
      { banner, now: () => RECORDED_AT },
    );
  } finally {
    await server.close();
  }
}

/** The sample folder, found upwards from this file (dist/cli.js in the package, src/cli in development). */
function findSampleWorkspace(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, SAMPLE);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`The sample workspace ${SAMPLE} is missing from this installation.`);
  }
}

import { killRunningServers } from '../tools/mcp/mcpHub';
import { main } from './main';

const controller = new AbortController();
let interrupted = false;
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    // The first signal cancels the run cleanly (the transcript and ledger so far are kept, and the
    // run still ends with run_finished); a second one quits at once.
    if (interrupted) {
      // No time to close MCP servers the usual way: a server that ignores its closed stdin must not outlive us.
      killRunningServers();
      process.exit(code);
    }
    interrupted = true;
    controller.abort();
  });
}

// A broken pipe (`incident-triage … | head`) is the reader's choice, not a failure of the run.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
});

let settled = false;
process.on('beforeExit', () => {
  // The event loop emptied while the run was still pending: something stopped waiting without the
  // run finishing. Exiting quietly here once made a failed run look like a success (code 0).
  if (settled) return;
  process.stderr.write('incident-triage: the process was about to exit before the run finished (no run_finished); treating it as a failure.\n');
  process.exit(1);
});

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal }).then(exitAfterFlush, (err: unknown) => {
  process.stderr.write(`incident-triage: unexpected failure: ${err instanceof Error ? err.stack : String(err)}\n`);
  exitAfterFlush(1);
});

/**
 * The exit code is decided once the run has finished; nothing that is still pending (a timer, a
 * socket, a child process) may keep the CLI alive or change it. Output is flushed first. One thing
 * even process.exit cannot end is a libuv pool thread blocked in open() (a FIFO): exit joins those
 * threads. The tools therefore never open anything that way (see tools/regularFile.ts).
 */
function exitAfterFlush(code: number): void {
  settled = true;
  process.exitCode = code;
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

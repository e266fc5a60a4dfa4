import { CostLedger, toCsv } from '../cost/costLedger';
import { describeSavings, formatUsd } from '../cost/format';
import { costLedgerPath } from '../engine/startTriage';
import { USAGE, UsageError, parseCliArgs, type TriageOptions } from './args';
import { runDemo } from './demo';
import { checkedSecret, printPreview, runAndRender, type CliIo } from './runAndRender';
import { runTemplatesCommand } from './templatesCommand';
import { runMcpCommand } from './mcpCommand';

export type { CliIo } from './runAndRender';

/** Runs the CLI and resolves to its exit code: 0 report (templates: printed), 1 failed run (templates: unreadable file), 2 usage error. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let options: TriageOptions | 'help';
  try {
    options = parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`incident-triage: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    if (options.command === 'demo') return await runDemo(options, io);
    if (options.command === 'cost') return printCost(options, io);
    if (options.command === 'templates') return await runTemplatesCommand(options, io);
    if (options.command === 'mcp') return await runMcpCommand(options, io);
    return await runTriageCommand(options, io);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`incident-triage: ${err.message}\n`);
    return 2;
  }
}

async function runTriageCommand(options: TriageOptions, io: CliIo): Promise<number> {
  const apiKey = io.env.ANTHROPIC_API_KEY ? checkedSecret(io.env.ANTHROPIC_API_KEY, 'ANTHROPIC_API_KEY') : undefined;
  const baseUrl = io.env.ANTHROPIC_BASE_URL || undefined;
  // Nothing is sent in a dry run: the placeholder only marks where the key would go.
  if (options.dryRun) return printPreview({ apiKey: apiKey ?? 'dry-run', baseUrl }, options, io);
  if (!apiKey) throw new UsageError('ANTHROPIC_API_KEY is not set. Export your Anthropic API key, or run `incident-triage demo` to see a recorded run.');
  return runAndRender({ apiKey, baseUrl }, options, io);
}

/** `incident-triage cost`: all-time totals of the cost ledger, or every call as CSV. */
function printCost(options: TriageOptions, io: CliIo): number {
  const ledger = new CostLedger(costLedgerPath(options.ledger!));
  if (options.csv) {
    io.stdout.write(toCsv(ledger.records));
    return 0;
  }
  const s = ledger.summary({ kind: 'all' });
  const runs = new Set(ledger.records.map((r) => r.runId)).size;
  const ms = (v: number | null) => (v === null ? '—' : `${v} ms`);
  io.stdout.write(
    [
      `${s.calls} API calls in ${runs} runs: ${formatUsd(s.costUsd)}${s.unpricedCalls ? ` (+ ${s.unpricedCalls} calls of unknown price)` : ''}; ${describeSavings(s.savedUsd)}`,
      `tokens: input ${s.inputTokens.toLocaleString('en-US')}, cache write ${s.cacheWriteTokens.toLocaleString('en-US')}, cache read ${s.cacheReadTokens.toLocaleString('en-US')}, output ${s.outputTokens.toLocaleString('en-US')}; cache hit rate ${(100 * s.cacheHitRate).toFixed(1)}%`,
      `time to first token p50 ${ms(s.ttftMs.p50)}, p95 ${ms(s.ttftMs.p95)}; total p50 ${ms(s.totalMs.p50)}, p95 ${ms(s.totalMs.p95)}`,
      ...(ledger.skippedLines ? [`(${ledger.skippedLines} unreadable ledger lines skipped)`] : []),
    ].join('\n') + '\n',
  );
  return 0;
}

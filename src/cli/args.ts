import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { CACHE_TTLS, DEFAULTS, LIMITS, type CacheTtl, type ThinkingSetting } from '../shared/settings';
import { PRICING_EXAMPLE, parsePriceOverrides, type PriceOverrides } from '../shared/pricing';

export class UsageError extends Error {}

export interface TriageOptions {
  command: 'triage' | 'demo' | 'cost' | 'templates' | 'mcp';
  description: string;
  workspace: string;
  /** Every --workspace in the order given (workspace is the first); only mcp takes more than one. */
  workspaces: string[];
  log?: string;
  model?: string;
  fallbackModel?: string;
  maxSteps?: number;
  thinking: ThinkingSetting;
  json: boolean;
  ledger?: string;
  /** Which files count as logs; default: the built-in globs. */
  logGlobs?: string[];
  cacheTtl: CacheTtl;
  budgetUsd?: number;
  budgetTokens?: number;
  pricing?: PriceOverrides;
  /** cost only: print the ledger as CSV. */
  csv: boolean;
  dryRun: boolean;
  prometheusUrl?: string;
  /** Seconds one tool call may take (DEFAULTS.toolTimeoutSeconds when absent). */
  toolTimeoutSeconds?: number;
  /** Seconds a response stream may stay silent before it is abandoned and the step sent again (DEFAULTS.streamTimeoutSeconds when absent). */
  streamTimeoutSeconds?: number;
  /** demo only: no pauses between streamed chunks. */
  fast: boolean;
  /** templates: the log file to group, as the user named it. */
  file?: string;
  /** templates --json: also each line's template id. */
  assignments: boolean;
  /** templates (table): how many templates to show; undefined with --all. */
  limit?: number;
  /** templates: pass the templates through the secret redaction before printing them. */
  redact: boolean;
  /** triage: MCP servers to start for the run (VS Code's mcp.json shape or Claude Desktop's). */
  mcpConfig?: string;
  /** triage: MCP tools without readOnlyHint that may run without asking (nobody can be asked here). */
  allowMcpTools: string[];
  /** triage: a past run (its id in --ledger) whose conversation the description continues as a follow-up question. */
  continueRun?: string;
  /** mcp: serve streamable HTTP on 127.0.0.1 at this port (0: any free one) instead of stdio. */
  httpPort?: number;
}

/** Rows of the templates table when neither --limit nor --all is given: about a screen. */
export const DEFAULT_TEMPLATE_ROWS = 25;

const range = ([min, max]: readonly [number, number]) => `${min}-${max}`;

export const USAGE = `Usage:
  incident-triage triage --workspace DIR [--mcp-config FILE] [options] "DESCRIPTION"
  incident-triage demo [--json] [--fast]
  incident-triage cost --ledger DIR [--csv]
  incident-triage templates [--limit N | --all] [--json [--assignments]] [--redact] FILE
  incident-triage mcp --workspace DIR [--workspace DIR2 …] [--http PORT]

Runs the Incident Triage agent outside VS Code. \`triage\` calls the Anthropic API with
ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL, if set); \`demo\` replays a recorded model on a
bundled sample workspace and needs no key. \`templates\` groups the lines of one log file
(plain or gzip) by the message templates summarize_log mines, locally: nothing is sent anywhere.
\`mcp\` serves the read-only tools (list, search, read, summarize, compare windows, metrics,
deploys) to other agents over MCP on stdio, confined to DIR and redacted as for our model.

Options:
  --workspace DIR       folder of logs to investigate (triage: required; mcp: repeatable, each
                        folder one workspace root the tools may read)
  --log FILE            start from this log file (workspace-relative or absolute)
  --model ID            Claude model (default: ${DEFAULTS.model})
  --fallback-model ID   model to continue with when the first is repeatedly overloaded (529)
  --max-steps N         API calls before the report is requested (${range(LIMITS.maxSteps)}, default ${DEFAULTS.maxSteps})
  --thinking MODE       off | auto | a token budget such as ${DEFAULTS.thinkingBudgetTokens} (default: ${DEFAULTS.thinking})
  --json                print one JSON object per engine event per line; templates: one JSON
                        document {"file", "lines", "templates": [{"id", "template", "count",
                        "first_line", "last_line"}]} listing every template, most lines first
  --ledger DIR          append every event of the run to DIR/runs/<run id>.jsonl (and keep its
                        conversation, for --continue)
  --continue RUN_ID     ask a follow-up question of a past run in --ledger DIR: the description is
                        the question, answered in that run's conversation (a new run id)
  --log-glob GLOB       which files are logs (repeatable; default: **/*.log, rotations,
                        **/logs/**, **/*.jsonl)
  --cache-ttl TTL       prompt cache lifetime: 5m (default), 1h (long incidents), off
  --budget-usd N        per-run spending limit in dollars: near it the report is requested early
  --budget-tokens N     per-run limit on input plus output tokens
  --pricing FILE        JSON price overrides, ${PRICING_EXAMPLE}
  --prometheus-url URL  read metrics from this Prometheus (bearer token: PROMETHEUS_BEARER_TOKEN);
                        without it, from metrics/** files in the workspace
  --mcp-config FILE     start the MCP servers in FILE for the run and offer their tools, named
                        mcp__<server>__<tool> ({"servers": {name: {"command", "args", "env"} |
                        {"url", "headers"}}}, as .vscode/mcp.json; Claude Desktop's "mcpServers"
                        too); secrets as "\${env:NAME}", never in the file
  --allow-mcp-tool NAME an MCP tool not marked read-only that may run (repeatable; e.g.
                        mcp__filesystem__write_file); without it such tools are refused
  --http PORT           mcp: serve streamable HTTP at http://127.0.0.1:PORT/mcp instead of stdio
  --tool-timeout S      time limit of one tool call in seconds (${range(LIMITS.toolTimeoutSeconds)}, default ${DEFAULTS.toolTimeoutSeconds})
  --stream-timeout S    abandon a response stream silent for S seconds and send the step again
                        (${range(LIMITS.streamTimeoutSeconds)}, default ${DEFAULTS.streamTimeoutSeconds})
  --dry-run             print the first request exactly as it would be sent (secrets already
                        redacted) and exit without calling the API
  --csv                 cost: print every recorded API call as CSV
  --fast                demo: stream without pauses
  --limit N             templates: show the N most frequent templates (default ${DEFAULT_TEMPLATE_ROWS})
  --all                 templates: show every template
  --assignments         templates --json: add "line_templates", the template id of every line in
                        file order (null for a line past the template limit); a blank line has
                        the id of the empty template ""
  --redact              templates: mask secrets in the templates (as done for the model), e.g.
                        before sharing the output; by default they print as mined
  -h, --help            show this help

Exit codes: 0 the run finished with a report (also when the step cap or a budget asked for it
early: the final run_finished says which), 1 it finished without one (failed, cancelled, out of
budget) or did not finish, 2 usage error. templates: 0 printed, 1 the file could not be read as
a log (missing, a folder, binary), 2 usage error.`;

export function parseCliArgs(argv: readonly string[]): TriageOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        workspace: { type: 'string', multiple: true },
        log: { type: 'string' },
        model: { type: 'string' },
        'fallback-model': { type: 'string' },
        'max-steps': { type: 'string' },
        thinking: { type: 'string' },
        json: { type: 'boolean', default: false },
        ledger: { type: 'string' },
        'log-glob': { type: 'string', multiple: true },
        'cache-ttl': { type: 'string' },
        'budget-usd': { type: 'string' },
        'budget-tokens': { type: 'string' },
        pricing: { type: 'string' },
        csv: { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        'prometheus-url': { type: 'string' },
        'tool-timeout': { type: 'string' },
        'stream-timeout': { type: 'string' },
        fast: { type: 'boolean', default: false },
        limit: { type: 'string' },
        all: { type: 'boolean', default: false },
        assignments: { type: 'boolean', default: false },
        redact: { type: 'boolean', default: false },
        'mcp-config': { type: 'string' },
        'allow-mcp-tool': { type: 'string', multiple: true },
        http: { type: 'string' },
        continue: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) return 'help';
  const [command, ...rest] = positionals;
  if (command !== 'triage' && command !== 'demo' && command !== 'cost' && command !== 'templates' && command !== 'mcp')
    throw new UsageError(`Unknown command "${command}". Use "triage", "demo", "cost", "templates" or "mcp".`);
  const ttl = values['cache-ttl'] ?? DEFAULTS.cacheTtl;
  if (!isCacheTtl(ttl)) throw new UsageError(`--cache-ttl must be 5m, 1h or off; got "${ttl}".`);

  const options: TriageOptions = {
    command,
    description: rest.join(' ').trim(),
    workspace: values.workspace?.[0] ?? '',
    workspaces: values.workspace ?? [],
    log: values.log,
    model: values.model,
    fallbackModel: values['fallback-model'],
    maxSteps: values['max-steps'] === undefined ? undefined : parseIntInRange('--max-steps', values['max-steps'], LIMITS.maxSteps),
    thinking: parseThinking(values.thinking),
    json: values.json ?? false,
    ledger: values.ledger,
    logGlobs: values['log-glob'],
    cacheTtl: ttl,
    budgetUsd: values['budget-usd'] === undefined ? undefined : parsePositive('--budget-usd', values['budget-usd']),
    budgetTokens: values['budget-tokens'] === undefined ? undefined : parseIntInRange('--budget-tokens', values['budget-tokens'], LIMITS.budgetTokens),
    pricing: values.pricing === undefined ? undefined : readPricing(values.pricing),
    csv: values.csv ?? false,
    dryRun: values['dry-run'] ?? false,
    prometheusUrl: values['prometheus-url'] === undefined ? undefined : parseHttpUrl('--prometheus-url', values['prometheus-url']),
    toolTimeoutSeconds: values['tool-timeout'] === undefined ? undefined : parseIntInRange('--tool-timeout', values['tool-timeout'], LIMITS.toolTimeoutSeconds),
    streamTimeoutSeconds: values['stream-timeout'] === undefined ? undefined : parseIntInRange('--stream-timeout', values['stream-timeout'], LIMITS.streamTimeoutSeconds),
    fast: values.fast ?? false,
    file: command === 'templates' ? rest[0] : undefined,
    assignments: values.assignments ?? false,
    limit: values.all ? undefined : values.limit === undefined ? DEFAULT_TEMPLATE_ROWS : parseIntInRange('--limit', values.limit, [1, 1_000_000]),
    redact: values.redact ?? false,
    mcpConfig: values['mcp-config'],
    allowMcpTools: values['allow-mcp-tool'] ?? [],
    httpPort: values.http === undefined ? undefined : parseIntInRange('--http', values.http, [0, 65_535]),
    continueRun: values.continue,
  };
  if (command === 'triage') {
    if (!options.workspace) throw new UsageError('triage needs --workspace DIR (the folder of logs to investigate).');
    if (!options.description) throw new UsageError('triage needs a description of the incident, e.g. "checkout returns 502 since 14:05".');
  }
  for (const name of options.allowMcpTools) {
    if (!/^mcp__[A-Za-z0-9_-]+__[A-Za-z0-9_-]+$/.test(name)) throw new UsageError(`--allow-mcp-tool "${name}": name the tool as the model sees it, mcp__<server>__<tool>.`);
  }
  if ((options.mcpConfig !== undefined || options.allowMcpTools.length) && command !== 'triage') throw new UsageError('--mcp-config and --allow-mcp-tool are options of triage.');
  if (options.continueRun !== undefined && (command !== 'triage' || !options.ledger)) throw new UsageError('--continue RUN_ID is an option of triage, with the --ledger DIR that recorded the run.');
  if (command === 'mcp') {
    if (!options.workspace) throw new UsageError('mcp needs --workspace DIR (the folder whose logs the tools may read).');
    if (rest.length) throw new UsageError('mcp takes no description: other agents send their own requests.');
  } else {
    if (options.httpPort !== undefined) throw new UsageError('--http is an option of mcp.');
    // parseArgs would keep the last one silently; a run reads one folder.
    if (options.workspaces.length > 1) throw new UsageError(`${command} takes one --workspace; only mcp serves several folders.`);
  }
  if (command === 'cost' && !options.ledger) throw new UsageError('cost needs --ledger DIR (the folder given to triage --ledger).');
  if (command === 'templates') checkTemplatesArgs(rest, values);
  if (options.model !== undefined && !/^[\w.:@/-]{1,100}$/.test(options.model)) throw new UsageError(`--model "${options.model}" is not a model id.`);
  return options;
}

function checkTemplatesArgs(files: readonly string[], values: { json?: boolean; assignments?: boolean; limit?: string; all?: boolean }): void {
  if (files.length !== 1) throw new UsageError(`templates takes one FILE, the log to group${files.length ? `; got ${files.length}` : ''}.`);
  if (values.assignments && !values.json) throw new UsageError("--assignments adds each line's template to the --json document: give --json too.");
  if (values.json && (values.limit !== undefined || values.all)) throw new UsageError('--limit and --all shape the table; the --json document always lists every template.');
  if (values.limit !== undefined && values.all) throw new UsageError('give --limit N or --all, not both.');
}

const isCacheTtl = (value: string): value is CacheTtl => (CACHE_TTLS as readonly string[]).includes(value);

function readPricing(file: string): PriceOverrides {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--pricing: cannot read ${file} as JSON (${(err as Error).message}).`);
  }
  const parsed = parsePriceOverrides(raw);
  if (!parsed.ok) throw new UsageError(`--pricing: ${parsed.problem}`);
  return parsed.value;
}

function parseHttpUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be a URL such as http://prometheus:9090; got "${value}".`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${flag} must be an http(s) URL; got "${value}".`);
  return url.toString();
}

function parsePositive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number; got "${value}".`);
  return n;
}

function parseThinking(value: string | undefined): ThinkingSetting {
  if (value === undefined || value === 'off') return { mode: 'off' };
  if (value === 'auto') return { mode: 'auto' };
  return { mode: 'budget', budgetTokens: parseIntInRange('--thinking', value, LIMITS.thinkingBudgetTokens) };
}

function parseIntInRange(flag: string, value: string, [min, max]: readonly [number, number]): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}; got "${value}".`);
  return n;
}

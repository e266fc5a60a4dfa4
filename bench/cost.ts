/**
 * npm run bench:cost [-- --update-readme]
 *
 * Runs ten varied incidents (multi-step, with real log tool calls on the sample workspace)
 * against the local Messages API emulator twice per model price table — caching on, caching
 * off — and prints cost per incident, cache hit rate on warmed calls, token mix and time to first
 * token as the engine saw it. Also checks that one prompt sent ten times writes the shared
 * prefix (tools and instructions) once and reads it nine times. Token counts come from the emulator's caching model and its token estimate;
 * prices are genai-prices' real tables; latency is the emulator's model (see LATENCY).
 *
 * The first look, before and after, in the same run: "before" turns it off (TriageRequest.firstLook
 * = false) and the scripted models play every recorded call; "after" turns it on and the same
 * models skip the list_log_files and summarize_log calls it answered (src/demo/firstLookReader.ts,
 * the only rule). Per incident: steps, tokens, cost, and the first message's size; across every
 * request of both: the cached prefix (tools + system) must be byte-identical.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import type { TriageEvent } from '../src/shared/events';
import type { CacheTtl } from '../src/shared/settings';
import { runTriage } from '../src/agent/runTriage';
import { percentile } from '../src/cost/costLedger';
import { formatUsd } from '../src/cost/format';
import { createToolRegistry } from '../src/engine/toolRegistry';
import { estimateTokens } from '../src/demo/promptCache';
import { FakeAnthropic, type LatencyModel } from '../test/fixtures/anthropic-server/server';
import { scriptedTurns } from '../test/fixtures/anthropic-server/scenario';
import { COST_INCIDENTS } from '../test/fixtures/scenarios/costIncidents';
import { checkoutReport } from '../test/fixtures/scenarios/checkoutIncident';

const ROOT = path.resolve(__dirname, '..');
const WORKSPACE = path.join(ROOT, 'samples', 'checkout-incident');
const MODELS = ['claude-sonnet-4-6', 'claude-opus-4-8', 'claude-haiku-4-5'];
/** Emulated prefill: 150 ms, plus 20 µs per uncached input token and 2 µs per cached one. */
const LATENCY: LatencyModel = { baseMs: 150, perUncachedInputTokenMs: 0.02, perCachedInputTokenMs: 0.002 };
const FIXED_NOW = () => new Date('2026-11-20T14:30:00Z');

type Usage = Extract<TriageEvent, { type: 'usage' }>;

/** One incident's run: its API calls, its first message, and the first look's own time. */
interface IncidentRun {
  usage: Usage[];
  firstMessage: string;
  firstLookMs?: number;
}

interface Batch {
  incidents: IncidentRun[];
  /** tools + system of every request sent, serialised: the cached prefix. */
  prefixes: string[];
}

async function runBatch(model: string, cacheTtl: CacheTtl, firstLook = true): Promise<Batch> {
  let current = COST_INCIDENTS[0]!;
  const server = await FakeAnthropic.start({ scenario: (body, ctx) => current.scenario(body, ctx), latency: LATENCY });
  const client = new Anthropic({ apiKey: 'bench', baseURL: server.url, maxRetries: 0 });
  const incidents: IncidentRun[] = [];
  try {
    for (const incident of COST_INCIDENTS) {
      current = incident;
      const sentBefore = server.messageRequests.length;
      const run: IncidentRun = { usage: [], firstMessage: '' };
      const triage = runTriage({ description: incident.description, model, cacheTtl, firstLook }, { client, tools: createToolRegistry(), workspaceRoots: [WORKSPACE], now: FIXED_NOW });
      for await (const event of triage) {
        if (event.type === 'usage') run.usage.push(event);
        if (event.type === 'first_look') run.firstLookMs = event.firstLook.durationMs;
        if (event.type === 'run_finished' && event.reason !== 'report') throw new Error(`${incident.description}: ${event.message}`);
      }
      run.firstMessage = firstUserText(server.messageRequests[sentBefore]!);
      incidents.push(run);
    }
    return { incidents, prefixes: server.messageRequests.map((b) => JSON.stringify({ tools: b.tools, system: b.system })) };
  } finally {
    await server.close();
  }
}

function firstUserText(body: Record<string, unknown>): string {
  const first = (body.messages as { content: { text?: string }[] }[])[0]!;
  return first.content.map((b) => b.text ?? '').join('');
}

/**
 * The seed-style check: the same prompt ten times writes the cached prefix once and reads it nine
 * times. Only the prefix can repeat across runs: each run's first message is its own (the current
 * time, and the tool-output boundary drawn per conversation), so it is written each time — a few
 * dozen tokens beside a prefix of thousands.
 */
async function samePromptTenTimes(model: string): Promise<{ writes: number; reads: number }> {
  const server = await FakeAnthropic.start({ scenario: scriptedTurns([{ content: [{ type: 'tool_use', name: 'submit_triage_report', input: checkoutReport }] }]) });
  const client = new Anthropic({ apiKey: 'bench', baseURL: server.url, maxRetries: 0 });
  let writes = 0;
  let reads = 0;
  try {
    for (let i = 0; i < 10; i++) {
      for await (const e of runTriage({ description: 'Checkout is failing.', model }, { client, tools: createToolRegistry(), workspaceRoots: [WORKSPACE], now: FIXED_NOW })) {
        if (e.type !== 'usage') continue;
        if (e.usage.cacheReadInputTokens === 0 && e.usage.cacheCreationInputTokens > 0) writes++;
        if (e.usage.cacheReadInputTokens > e.usage.cacheCreationInputTokens) reads++;
      }
    }
  } finally {
    await server.close();
  }
  return { writes, reads };
}

interface Stats {
  costPerIncident: number | undefined;
  warmHitRate: number;
  avg: { input: number; write: number; read: number; output: number };
  ttft: { p50: number; p95: number };
  calls: number;
}

function stats(runs: IncidentRun[]): Stats {
  const batch = runs.map((r) => r.usage);
  const calls = batch.flat();
  const n = batch.length;
  const sum = (f: (u: Usage) => number) => calls.reduce((a, u) => a + f(u), 0);
  const warm = calls.slice(1); // every call after the batch's first has a written prefix to read
  const warmInput = warm.reduce((a, u) => a + u.usage.inputTokens + u.usage.cacheCreationInputTokens + u.usage.cacheReadInputTokens, 0);
  const known = calls.every((u) => u.costUsd !== null);
  const ttfts = calls.map((u) => u.timeToFirstTokenMs!).filter((x) => x !== null);
  return {
    costPerIncident: known ? sum((u) => u.costUsd!) / n : undefined,
    warmHitRate: warmInput ? warm.reduce((a, u) => a + u.usage.cacheReadInputTokens, 0) / warmInput : 0,
    avg: {
      input: sum((u) => u.usage.inputTokens) / n,
      write: sum((u) => u.usage.cacheCreationInputTokens) / n,
      read: sum((u) => u.usage.cacheReadInputTokens) / n,
      output: sum((u) => u.usage.outputTokens) / n,
    },
    ttft: { p50: percentile(ttfts, 50)!, p95: percentile(ttfts, 95)! },
    calls: calls.length,
  };
}

/** Steps, tokens (every input kind and output), cost and first-message tokens per incident. */
interface PerIncident {
  steps: number;
  tokens: number;
  costUsd: number | undefined;
  firstMessageTokens: number;
}

function perIncident(run: IncidentRun): PerIncident {
  const known = run.usage.every((u) => u.costUsd !== null);
  return {
    steps: run.usage.length,
    tokens: run.usage.reduce((a, u) => a + u.usage.inputTokens + u.usage.cacheCreationInputTokens + u.usage.cacheReadInputTokens + u.usage.outputTokens, 0),
    costUsd: known ? run.usage.reduce((a, u) => a + u.costUsd!, 0) : undefined,
    firstMessageTokens: estimateTokens(run.firstMessage),
  };
}

const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
const meanKnown = (xs: (number | undefined)[]) => (xs.every((x): x is number => x !== undefined) ? mean(xs) : undefined);
const change = (before: number, after: number) => `${before < after ? '+' : ''}${((100 * (after - before)) / before).toFixed(0)}%`;

async function main(): Promise<void> {
  const int = (x: number) => Math.round(x).toLocaleString('en-US');
  const rows = [
    '| model (price table) | caching | cost / incident | saving | hit rate, warmed calls | input | cache write | cache read | output | TTFT p50 / p95 | same prompt ×10: shared prefix |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  const lookRows = ['| model (price table), caching on | steps / incident | tokens / incident (all input + output) | cost / incident | first message (tokens) |', '|---|---:|---:|---:|---:|'];
  let incidentRows: string[] = [];
  const failures: string[] = [];
  const prefixes = new Set<string>();
  const lookMs: number[] = [];
  for (const model of MODELS) {
    const [afterBatch, beforeBatch] = [await runBatch(model, '5m'), await runBatch(model, '5m', false)];
    const on = stats(afterBatch.incidents);
    const off = stats((await runBatch(model, 'off')).incidents);
    const ten = await samePromptTenTimes(model);
    const saving = on.costPerIncident !== undefined && off.costPerIncident ? 1 - on.costPerIncident / off.costPerIncident : undefined;
    const tokens = (s: Stats) => `${int(s.avg.input)} | ${int(s.avg.write)} | ${int(s.avg.read)} | ${int(s.avg.output)}`;
    rows.push(
      `| ${model} | on (5 min) | ${formatUsd(on.costPerIncident)} | ${saving === undefined ? '—' : `${(100 * saving).toFixed(0)}%`} | ${(100 * on.warmHitRate).toFixed(1)}% | ${tokens(on)} | ${on.ttft.p50} / ${on.ttft.p95} ms | ${ten.writes} write, ${ten.reads} reads |`,
    );
    rows.push(`| ${model} | off | ${formatUsd(off.costPerIncident)} | | 0% | ${tokens(off)} | ${off.ttft.p50} / ${off.ttft.p95} ms | |`);
    process.stderr.write(`${model}: ${on.calls} calls per batch with the first look, ${stats(beforeBatch.incidents).calls} without\n`);
    if (on.warmHitRate < 0.9) failures.push(`${model}: hit rate on warmed calls ${(100 * on.warmHitRate).toFixed(1)}% < 90%`);
    if (saving === undefined || saving < 0.6) failures.push(`${model}: caching saves ${saving === undefined ? 'an unknown share' : `${(100 * saving).toFixed(0)}%`} < 60%`);
    if (ten.writes !== 1 || ten.reads !== 9) failures.push(`${model}: same prompt ×10 gave ${ten.writes} writes and ${ten.reads} reads`);

    // The first look, before and after, on the same incidents and scripted models.
    for (const p of [...afterBatch.prefixes, ...beforeBatch.prefixes]) prefixes.add(p);
    lookMs.push(...afterBatch.incidents.flatMap((r) => (r.firstLookMs === undefined ? [] : [r.firstLookMs])));
    const before = beforeBatch.incidents.map(perIncident);
    const after = afterBatch.incidents.map(perIncident);
    const avg = (xs: PerIncident[], f: (p: PerIncident) => number) => mean(xs.map(f));
    const [costBefore, costAfter] = [meanKnown(before.map((p) => p.costUsd)), meanKnown(after.map((p) => p.costUsd))];
    lookRows.push(
      `| ${model} | ${avg(before, (p) => p.steps).toFixed(1)} → ${avg(after, (p) => p.steps).toFixed(1)} | ${int(avg(before, (p) => p.tokens))} → ${int(avg(after, (p) => p.tokens))} (${change(
        avg(before, (p) => p.tokens),
        avg(after, (p) => p.tokens),
      )}) | ` +
        `${formatUsd(costBefore)} → ${formatUsd(costAfter)}${costBefore && costAfter !== undefined ? ` (${change(costBefore, costAfter)})` : ''} | ${int(avg(before, (p) => p.firstMessageTokens))} → ${int(avg(after, (p) => p.firstMessageTokens))} |`,
    );
    if (model === MODELS[0]) {
      incidentRows = [
        `| incident (${model}, caching on) | steps | tokens | cost | first message (tokens) |`,
        '|---|---:|---:|---:|---:|',
        ...COST_INCIDENTS.map((incident, i) => {
          const [b, a] = [before[i]!, after[i]!];
          const name = incident.description.length > 48 ? `${incident.description.slice(0, 47)}…` : incident.description;
          return `| ${name} | ${b.steps} → ${a.steps} | ${int(b.tokens)} → ${int(a.tokens)} | ${formatUsd(b.costUsd)} → ${formatUsd(a.costUsd)} | ${int(b.firstMessageTokens)} → ${int(a.firstMessageTokens)} |`;
        }),
      ];
    }
  }
  if (prefixes.size !== 1) failures.push(`the cached prefix (tools + system) took ${prefixes.size} forms across the steps and runs, with and without the first look`);
  const table = rows.join('\n');
  const note =
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:cost\`: ${COST_INCIDENTS.length} incidents on samples/checkout-incident with the real log tools, ` +
    `against the local Messages API emulator (its prompt-caching rules and a deterministic estimate of about four characters a token), ` +
    `priced with genai-prices' real tables. Averages are per incident. TTFT follows the emulator's latency model ` +
    `(${LATENCY.baseMs} ms + ${LATENCY.perUncachedInputTokenMs * 1000} µs per uncached and ${LATENCY.perCachedInputTokenMs * 1000} µs per cached input token), not a real network.`;
  const sorted = [...lookMs].sort((x, y) => x - y);
  const lookTable = `${lookRows.join('\n')}\n\n${incidentRows.join('\n')}`;
  const lookNote =
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench:cost\`, in the same run as the table above: "before" turns the first look off, "after" turns it on; ` +
    `the scripted models skip only the list_log_files and summarize_log calls the first look answered (src/demo/firstLookReader.ts) and make every other call as recorded. ` +
    `The cached prefix (tools + system prompt) was ${prefixes.size === 1 ? 'byte-identical' : 'NOT identical'} in all ${MODELS.length * 2 * COST_INCIDENTS.length} runs' requests, with and without the first look. ` +
    `The first look itself took ${sorted[Math.floor(sorted.length / 2)]} ms (median; max ${sorted.at(-1)} ms) on the sample workspace.`;
  console.log(`${table}\n\n${note}\n\n${lookTable}\n\n${lookNote}`);
  if (failures.length) console.log(`\nTargets missed:\n${failures.map((f) => `- ${f}`).join('\n')}`);

  if (process.argv.includes('--update-readme')) {
    const readme = path.join(ROOT, 'README.md');
    const text = readFileSync(readme, 'utf8')
      .replace(/<!-- bench:cost -->[\s\S]*?<!-- \/bench:cost -->/, `<!-- bench:cost -->\n${table}\n\n${note}\n<!-- /bench:cost -->`)
      .replace(/<!-- bench:first-look -->[\s\S]*?<!-- \/bench:first-look -->/, `<!-- bench:first-look -->\n${lookTable}\n\n${lookNote}\n<!-- /bench:first-look -->`);
    writeFileSync(readme, text);
    console.error('README.md updated');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

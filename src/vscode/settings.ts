import * as vscode from 'vscode';
import { CACHE_TTLS, DEFAULTS, type CacheTtl, type RunBudget, type ThinkingSetting } from '../shared/settings';
import { parsePriceOverrides, type PriceOverrides } from '../shared/pricing';
import type { MetricName } from '../tools/metrics/prometheus';

/** The `incidentTriage.*` settings, read fresh for each run so changes apply without a reload. */
export interface TriageSettings {
  model: string;
  fallbackModel: string;
  maxSteps: number;
  budget: RunBudget | undefined;
  sessionBudgetUsd: number | undefined;
  thinking: ThinkingSetting;
  cacheTtl: CacheTtl;
  logGlobs: string[] | undefined;
  exclude: string[];
  baseUrl: string | undefined;
  pricing: PriceOverrides;
  prometheusUrl: string | undefined;
  prometheusQueries: Partial<Record<MetricName, string>>;
  toolTimeoutMs: number;
  /** `incidentTriage.mcpServers` as written (a user setting only: a workspace cannot start servers); undefined when it names none. */
  mcpServers: unknown;
  /** Settings that are set but unusable, in words the user can act on; a run does not start with any. */
  problems: string[];
}

/** Defaults come from src/shared/settings.ts; package.json declares the same ones (a unit test holds them equal). */
export function readSettings(): TriageSettings {
  const c = vscode.workspace.getConfiguration('incidentTriage');
  const positive = (key: string) => {
    const v = c.get<number>(key, 0);
    return v > 0 ? v : undefined;
  };
  const problems: string[] = [];
  const thinking = c.get<string>('thinking', DEFAULTS.thinking);
  const budgetTokens = c.get<number>('thinkingBudgetTokens', DEFAULTS.thinkingBudgetTokens);
  const maxUsd = positive('budgetUsd');
  const maxTokens = positive('budgetTokens');
  const cacheTtl = c.get<string>('cacheTtl', DEFAULTS.cacheTtl);
  const pricing = parsePriceOverrides(c.get<unknown>('pricing', {}));
  if (!pricing.ok) problems.push(`incidentTriage.pricing: ${pricing.problem}`);
  // files.exclude maps globs to true/false (or to a "when" clause, which counts as excluded).
  const filesExclude = vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude', {});
  return {
    model: c.get('model', DEFAULTS.model),
    fallbackModel: c.get('fallbackModel', ''),
    maxSteps: c.get('maxSteps', DEFAULTS.maxSteps),
    budget: maxUsd || maxTokens ? { maxUsd, maxTokens } : undefined,
    sessionBudgetUsd: positive('sessionBudgetUsd'),
    thinking: thinking === 'auto' ? { mode: 'auto' } : thinking === 'budget' ? { mode: 'budget', budgetTokens } : { mode: 'off' },
    cacheTtl: (CACHE_TTLS as readonly string[]).includes(cacheTtl) ? (cacheTtl as CacheTtl) : DEFAULTS.cacheTtl,
    logGlobs: c.get<string[]>('logGlobs')?.length ? c.get<string[]>('logGlobs') : undefined,
    exclude: Object.entries(filesExclude)
      .filter(([, v]) => v !== false)
      .map(([glob]) => glob),
    baseUrl: c.get<string>('baseUrl') || process.env.ANTHROPIC_BASE_URL || undefined,
    pricing: pricing.ok ? pricing.value : {},
    prometheusUrl: c.get<string>('prometheus.url') || undefined,
    prometheusQueries: c.get('prometheus.queries', {}),
    toolTimeoutMs: c.get('toolTimeoutSeconds', DEFAULTS.toolTimeoutSeconds) * 1000,
    mcpServers: namesServers(c.get<unknown>('mcpServers')) ? c.get<unknown>('mcpServers') : undefined,
    problems,
  };
}

/** Whether a setting's value lists any server (an empty object, the default, starts none). */
function namesServers(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return value !== undefined;
  return Object.keys(value).length > 0;
}

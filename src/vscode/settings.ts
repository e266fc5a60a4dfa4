import * as vscode from 'vscode';
import type { ThinkingSetting } from '../agent/modelProfile';
import type { CacheTtl } from '../agent/request';
import type { RunBudget } from '../agent/runTriage';
import type { PriceOverrides } from '../cost/prices';
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
}

export function readSettings(): TriageSettings {
  const c = vscode.workspace.getConfiguration('incidentTriage');
  const positive = (key: string) => {
    const v = c.get<number>(key, 0);
    return v > 0 ? v : undefined;
  };
  const thinking = c.get<string>('thinking', 'off');
  const budgetTokens = c.get<number>('thinkingBudgetTokens', 4096);
  const maxUsd = positive('budgetUsd');
  const maxTokens = positive('budgetTokens');
  // files.exclude maps globs to true/false (or to a "when" clause, which counts as excluded).
  const filesExclude = vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude', {});
  return {
    model: c.get('model', 'claude-sonnet-5-5'),
    fallbackModel: c.get('fallbackModel', ''),
    maxSteps: c.get('maxSteps', 12),
    budget: maxUsd || maxTokens ? { maxUsd, maxTokens } : undefined,
    sessionBudgetUsd: positive('sessionBudgetUsd'),
    thinking: thinking === 'auto' ? { mode: 'auto' } : thinking === 'budget' ? { mode: 'budget', budgetTokens } : { mode: 'off' },
    cacheTtl: c.get<CacheTtl>('cacheTtl', '5m'),
    logGlobs: c.get<string[]>('logGlobs')?.length ? c.get<string[]>('logGlobs') : undefined,
    exclude: Object.entries(filesExclude).filter(([, v]) => v !== false).map(([glob]) => glob),
    baseUrl: c.get<string>('baseUrl') || process.env.ANTHROPIC_BASE_URL || undefined,
    pricing: c.get<PriceOverrides>('pricing', {}),
    prometheusUrl: c.get<string>('prometheus.url') || undefined,
    prometheusQueries: c.get('prometheus.queries', {}),
    toolTimeoutMs: c.get('toolTimeoutSeconds', 20) * 1000,
  };
}

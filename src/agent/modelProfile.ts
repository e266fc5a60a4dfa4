import type Anthropic from '@anthropic-ai/sdk';
import { DEFAULTS, type ThinkingSetting } from '../shared/settings';

/** What the engine needs to know about a model, from the Models API (`GET /v1/models/{id}`). */
export interface ModelProfile {
  id: string;
  /** Largest `max_tokens` the model accepts. */
  maxOutputTokens: number;
  thinking: { adaptive: boolean; manual: boolean; disabled: boolean };
  /** False when the Models API could not be asked (a gateway without it): conservative defaults apply. */
  fromModelsApi: boolean;
}

export interface ThinkingPlan {
  kind: 'off' | 'adaptive' | 'manual';
  param?: Anthropic.ThinkingConfigParam;
  /**
   * Whether `tool_choice` may force a tool. Manual thinking forbids it; adaptive thinking
   * allows it on most models, and a model that still refuses is caught at the call (a 400)
   * and retried with `auto` plus a closing instruction.
   */
  canForceTool: boolean;
}

const FALLBACK_MAX_OUTPUT = 32_000;
const profiles = new WeakMap<Anthropic, Map<string, Promise<ModelProfile>>>();

/** Looks a model up once per client; never throws (an unreachable Models API yields defaults). */
export function loadModelProfile(client: Anthropic, model: string, signal?: AbortSignal): Promise<ModelProfile> {
  let byModel = profiles.get(client);
  if (!byModel) profiles.set(client, (byModel = new Map<string, Promise<ModelProfile>>()));
  let profile = byModel.get(model);
  if (!profile) {
    profile = fetchProfile(client, model, signal);
    byModel.set(model, profile);
    // A failed lookup (cancelled, network) must not stick: the next run asks again.
    void profile.then((p) => (p.fromModelsApi ? undefined : byModel.delete(model)));
  }
  return profile;
}

async function fetchProfile(client: Anthropic, model: string, signal?: AbortSignal): Promise<ModelProfile> {
  try {
    const info = await client.models.retrieve(model, {}, { signal, maxRetries: 1 });
    const types = info.capabilities?.thinking?.types;
    return {
      id: model,
      maxOutputTokens: info.max_tokens ?? FALLBACK_MAX_OUTPUT,
      thinking: {
        adaptive: types?.adaptive?.supported ?? false,
        manual: types?.enabled?.supported ?? false,
        disabled: types?.disabled?.supported ?? true,
      },
      fromModelsApi: true,
    };
  } catch {
    // Unknown capabilities: assume the widely supported manual mode, which the API rejects
    // clearly (400) rather than silently if the model needs adaptive thinking.
    return { id: model, maxOutputTokens: FALLBACK_MAX_OUTPUT, thinking: { adaptive: false, manual: true, disabled: true }, fromModelsApi: false };
  }
}

export function planThinking(setting: ThinkingSetting, profile: ModelProfile, maxTokens: number): ThinkingPlan {
  const { adaptive, manual } = profile.thinking;
  if (setting.mode === 'off') {
    if (profile.thinking.disabled) return { kind: 'off', canForceTool: true };
    // A model that cannot think "off" gets the lightest form it accepts.
    return adaptive ? { kind: 'adaptive', param: { type: 'adaptive' }, canForceTool: true } : { kind: 'off', canForceTool: true };
  }
  const wantsManual = setting.mode === 'budget';
  if (adaptive && (!wantsManual || !manual)) {
    return { kind: 'adaptive', param: { type: 'adaptive', display: 'summarized' }, canForceTool: true };
  }
  if (manual) {
    const requested = setting.mode === 'budget' ? setting.budgetTokens : DEFAULTS.thinkingBudgetTokens;
    const budget = Math.max(1024, Math.min(requested, maxTokens - 1));
    return { kind: 'manual', param: { type: 'enabled', budget_tokens: budget }, canForceTool: false };
  }
  return { kind: 'off', canForceTool: true };
}

/** What a run sends to one model: its output cap and thinking, from the request and the model's capabilities. */
export interface ModelPlan {
  model: string;
  maxTokens: number;
  thinking: ThinkingPlan;
}

export async function planModel(client: Anthropic, model: string, request: { thinking?: ThinkingSetting; maxOutputTokens?: number }, signal?: AbortSignal): Promise<ModelPlan> {
  const profile = await loadModelProfile(client, model, signal);
  const maxTokens = Math.min(profile.maxOutputTokens, request.maxOutputTokens ?? DEFAULTS.maxOutputTokens);
  return { model, maxTokens, thinking: planThinking(request.thinking ?? { mode: 'off' }, profile, maxTokens) };
}

import type { WorkspaceScanSettings } from '../workspaceFiles';
import type { PrometheusSettings } from './prometheus';

/** Where metrics come from: a Prometheus when one is configured, otherwise metrics/** files in the workspace. */
export interface MetricsSettings extends WorkspaceScanSettings {
  prometheus?: PrometheusSettings;
}

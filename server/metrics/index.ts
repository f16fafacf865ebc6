import { findRuntime } from '../runtime/registry';
import type { WagoMetrics } from './metrics';

export { WagoMetrics, type MetricSources } from './metrics';

/** The process's metrics, when WaGo runs (absent in unit tests and scripts): counting is then a no-op. */
export function metrics(): WagoMetrics | undefined {
  return findRuntime()?.metrics;
}

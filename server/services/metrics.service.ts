import { getRuntime } from '../runtime/registry';
import { ApiError } from '../http/errors';
import { webhookEventRepository } from '../repositories/webhook-event.repository';
import { parseAllowList } from '../http/allow-list';
import { rawBody, type RawBody } from '../http/raw-body';
import type { MetricSources } from '../metrics';

/** The collectors' view of the running process. */
export function metricSources(pool: MetricSources['pool']): MetricSources {
  return {
    sessionsByState: () => getRuntime().sessions.countByState(),
    webhookQueueDepth: () => webhookEventRepository.countPending(),
    pool,
  };
}

/** GET /metrics: the Prometheus text of this process. */
export async function metricsText(): Promise<RawBody> {
  const metrics = getRuntime().metrics;
  if (!metrics) throw new ApiError(503, 'metrics are not collected by this process');
  const { body, contentType } = await metrics.text();
  return rawBody(body, contentType);
}

let allowCache: { spec: string | undefined; match: ReturnType<typeof parseAllowList> } | undefined;

/** Whether a connection's address is on WAGO_METRICS_ALLOW. */
export function metricsAllowed(remoteAddress: string | undefined): boolean {
  const spec = getRuntime().config.WAGO_METRICS_ALLOW;
  let cache = allowCache;
  if (!cache || cache.spec !== spec) {
    cache = { spec, match: parseAllowList(spec) };
    allowCache = cache;
  }
  return cache.match?.(remoteAddress) ?? false;
}

import { z } from 'zod';
import { defineRoute } from '../http/route';
import { liveness, readiness } from '../services/health.service';
import { metricsAllowed, metricsText } from '../services/metrics.service';

const TAG = 'Operations';

export const opsRoutes = [
  defineRoute({
    method: 'GET',
    path: '/metrics',
    auth: 'admin',
    tag: TAG,
    summary: 'Prometheus metrics of this process.',
    description:
      'WaGo extension. Answers the Prometheus text format (`text/plain; version=0.0.4`), not the JSON envelope: sessions by state, messages sent and received, webhook queue depth, delivery latency and failures, REST latency by route template, event-loop lag and PostgreSQL pool use. Needs the admin token, unless the connection comes from an address or range listed in `WAGO_METRICS_ALLOW`.',
    extension: true,
    local: true,
    allowAddress: metricsAllowed,
    // Scraped every few seconds: neither audited nor counted against the admin token's limit.
    audit: false,
    rateLimit: false,
    rawContentType: 'text/plain; version=0.0.4',
    output: z.string().describe('Prometheus text exposition (not wrapped in the envelope)'),
    handler: async () => metricsText(),
  }),
  defineRoute({
    method: 'GET',
    path: '/health/live',
    auth: 'none',
    tag: TAG,
    summary: 'Liveness: 200 while the process runs.',
    description: 'WaGo extension. For a container orchestrator: answers 200 as long as the process serves HTTP.',
    extension: true,
    local: true,
    output: z.object({ status: z.literal('ok'), uptimeSeconds: z.number() }),
    handler: async () => liveness(),
  }),
  defineRoute({
    method: 'GET',
    path: '/health/ready',
    auth: 'none',
    tag: TAG,
    summary: 'Readiness: 200 once the database answers and the sessions are restored.',
    description:
      'WaGo extension. 503 (with the reason) while the restore of sessions at start is running or when the database does not answer within 2 s; 200 afterwards.',
    extension: true,
    local: true,
    output: z.object({ status: z.literal('ready'), database: z.boolean(), restore: z.boolean() }),
    handler: async () => readiness(),
  }),
];

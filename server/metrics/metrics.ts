import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Pool } from 'pg';

/** What the collectors read at scrape time (live objects of the process). */
export interface MetricSources {
  /** Sessions this process runs, counted by lifecycle state. */
  sessionsByState(): Record<string, number>;
  /** Webhook events still waiting for delivery (all sessions on the database). */
  webhookQueueDepth(): Promise<number>;
  /** The PostgreSQL pool of the process. */
  pool?: Pick<Pool, 'totalCount' | 'idleCount' | 'waitingCount'> & { options?: { max?: number } };
}

const SESSION_STATES = ['disconnected', 'connecting', 'qr', 'pairing', 'connected', 'logged_out', 'failed'] as const;

/**
 * The Prometheus metrics of one WaGo process, in a registry of its own (kept in the runtime
 * registry, so Next's bundled code and the server count into the same one).
 */
export class WagoMetrics {
  readonly registry = new Registry();
  readonly messagesReceived: Counter;
  readonly messagesSent: Counter;
  readonly webhookDelivered: Counter;
  readonly webhookFailures: Counter;
  readonly webhookDeliverySeconds: Histogram;
  readonly httpSeconds: Histogram<'method' | 'route' | 'status'>;
  private readonly loop: IntervalHistogram;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    this.loop = monitorEventLoopDelay({ resolution: 10 });
    this.loop.enable();
    new Gauge({
      name: 'wago_sessions',
      help: 'Sessions run by this process, by state',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = sources.sessionsByState();
        for (const state of SESSION_STATES) this.set({ state }, counts[state] ?? 0);
      },
    });
    this.messagesReceived = new Counter({ name: 'wago_messages_received_total', help: 'Messages received from contacts (Message events not sent by the account)', registers });
    this.messagesSent = new Counter({ name: 'wago_messages_sent_total', help: 'Messages sent through WaGo that WhatsApp accepted', registers });
    new Gauge({
      name: 'wago_webhook_queue_depth',
      help: 'Webhook events waiting for delivery',
      registers,
      async collect() {
        this.set(await sources.webhookQueueDepth());
      },
    });
    this.webhookDelivered = new Counter({ name: 'wago_webhook_delivered_total', help: 'Webhook deliveries the receiver accepted (2xx)', registers });
    this.webhookFailures = new Counter({ name: 'wago_webhook_failures_total', help: 'Webhook delivery attempts that failed (non-2xx, timeout, network error)', registers });
    this.webhookDeliverySeconds = new Histogram({
      name: 'wago_webhook_delivery_seconds',
      help: 'Time of one webhook delivery attempt',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.httpSeconds = new Histogram({
      name: 'wago_http_request_duration_seconds',
      help: 'REST request time by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const loop = this.loop;
    new Gauge({
      name: 'wago_event_loop_lag_seconds',
      help: 'Event-loop delay since the previous scrape (mean, p99, max)',
      labelNames: ['stat'],
      registers,
      collect() {
        const ns = (v: number) => (Number.isFinite(v) ? v / 1e9 : 0);
        this.set({ stat: 'mean' }, ns(loop.mean));
        this.set({ stat: 'p99' }, ns(loop.percentile(99)));
        this.set({ stat: 'max' }, ns(loop.max));
        loop.reset();
      },
    });
    new Gauge({
      name: 'wago_db_pool_connections',
      help: 'PostgreSQL pool: connections open (total), idle, requests waiting for one, and the pool size (max)',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = sources.pool;
        this.set({ state: 'total' }, pool?.totalCount ?? 0);
        this.set({ state: 'idle' }, pool?.idleCount ?? 0);
        this.set({ state: 'waiting' }, pool?.waitingCount ?? 0);
        this.set({ state: 'max' }, pool?.options?.max ?? 0);
      },
    });
  }

  /** The Prometheus text exposition of every series. */
  async text(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }

  stop(): void {
    this.loop.disable();
    this.registry.clear();
  }
}

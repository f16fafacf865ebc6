import { getRuntime } from '../runtime/registry';

export interface ServerStats {
  version: string;
  instanceId: string;
  uptimeSeconds: number;
  sessionsRunning: number;
  memory: { rssMb: number; heapUsedMb: number };
  eventLoop: { meanMs: number; p99Ms: number; maxMs: number; sinceReset: string };
}

let resetAt = new Date();
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;

/** Process health for operators: memory, sessions, event-loop delay (optionally reset). */
export function serverStats(reset = false): ServerStats {
  const runtime = getRuntime();
  const loop = runtime.eventLoop;
  const memory = process.memoryUsage();
  const stats: ServerStats = {
    version: runtime.version,
    instanceId: runtime.instanceId,
    uptimeSeconds: Math.round((Date.now() - runtime.startedAt.getTime()) / 1000),
    sessionsRunning: runtime.sessions.runningCount(),
    memory: { rssMb: mb(memory.rss), heapUsedMb: mb(memory.heapUsed) },
    eventLoop: {
      meanMs: loop && loop.count > 0 ? ms(loop.mean) : 0,
      p99Ms: loop && loop.count > 0 ? ms(loop.percentile(99)) : 0,
      maxMs: loop && loop.count > 0 ? ms(loop.max) : 0,
      sinceReset: resetAt.toISOString(),
    },
  };
  if (reset) {
    loop?.reset();
    resetAt = new Date();
  }
  return stats;
}

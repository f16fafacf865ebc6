// Load on one route of a server process with autocannon (keep-alive), and what it cost the
// server: the measure of the HTTP benchmarks.
import autocannon from 'autocannon';
import { cpuMs, type ServerProcess } from './processes';

/** What one load run measured. */
export interface LoadSample {
  rps: number;
  p50: number;
  p99: number;
  /** The server process's CPU ms per request. */
  cpuPerReq: number;
}

/** Loads `path` on `server` for `seconds` over `connections` connections; a non-2xx answer or an error fails the run. */
export async function loadRoute(server: ServerProcess, path: string, opts: { seconds: number; connections: number; headers?: Record<string, string> }): Promise<LoadSample> {
  const cpuBefore = await cpuMs(server.child.pid!);
  const result = await autocannon({ url: `${server.url}${path}`, ...(opts.headers ? { headers: opts.headers } : {}), connections: opts.connections, duration: opts.seconds, pipelining: 1 });
  const cpuAfter = await cpuMs(server.child.pid!);
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuPerReq: (cpuAfter - cpuBefore) / result.requests.total };
}

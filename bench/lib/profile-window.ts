// Preloaded into a benchmarked process when BENCH_PROFILE=<folder> is set: SIGUSR2 starts a CPU
// profile of the main thread, the next SIGUSR2 writes it there. The bench sends the signals
// around its measured window, so the profile holds the burst only (no start-up, no warm-up).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

const dir = process.env.BENCH_PROFILE;
let session: Session | undefined;
// While profiling, a 1 ms ticker notes every turn of the event loop, so the stalls can be found in the profile.
let ticker: NodeJS.Timeout | undefined;
let ticks: bigint[] = [];

export async function toggleProfile(name: string): Promise<void> {
  if (!dir) return;
  if (!session) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    // BENCH_PROFILE_HEAP=1: also sample allocations (where the garbage comes from).
    if (process.env.BENCH_PROFILE_HEAP) await session.post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: process.env.BENCH_PROFILE_HEAP !== 'live', includeObjectsCollectedByMinorGC: process.env.BENCH_PROFILE_HEAP !== 'live' });
    ticks = [];
    ticker = setInterval(() => ticks.push(process.hrtime.bigint()), 1);
    return;
  }
  clearInterval(ticker);
  const { profile } = await session.post('Profiler.stop');
  if (process.env.BENCH_PROFILE_HEAP) {
    const { profile: heap } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(join(dir, `${name}-${process.pid}-${Date.now()}.heapprofile`), JSON.stringify(heap));
  }
  session.disconnect();
  session = undefined;
  const file = join(dir, `${name}-${process.pid}-${Date.now()}.cpuprofile`);
  // Stalls: gaps of over 50 ms (BENCH_PROFILE_STALL_MS) between ticks, in the profile's clock (µs, monotonic).
  const stallNs = BigInt(Number(process.env.BENCH_PROFILE_STALL_MS ?? 50) * 1e6);
  const stalls: Array<[number, number]> = [];
  for (let i = 1; i < ticks.length; i++) {
    if (ticks[i] - ticks[i - 1] > stallNs) stalls.push([Number(ticks[i - 1] / 1000n), Number(ticks[i] / 1000n)]);
  }
  writeFileSync(file, JSON.stringify({ ...profile, stalls }));
  process.stderr.write(`CPU profile written: ${file}\n`);
}

if (dir) {
  process.on('SIGUSR2', () => {
    toggleProfile(process.env.BENCH_PROFILE_NAME ?? 'process').catch((error: unknown) => process.stderr.write(`profile failed: ${String(error)}\n`));
  });
}

// Preloaded into a benchmarked process when BENCH_PROFILE=<folder> is set: SIGUSR2 starts a CPU
// profile of the main thread, the next SIGUSR2 writes it there. The bench sends the signals
// around its measured window, so the profile holds the burst only (no start-up, no warm-up).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

const dir = process.env.BENCH_PROFILE;
let session: Session | undefined;

export async function toggleProfile(name: string): Promise<void> {
  if (!dir) return;
  if (!session) {
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    return;
  }
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  session = undefined;
  const file = join(dir, `${name}-${process.pid}-${Date.now()}.cpuprofile`);
  writeFileSync(file, JSON.stringify(profile));
  process.stderr.write(`CPU profile written: ${file}\n`);
}

if (dir) {
  process.on('SIGUSR2', () => {
    toggleProfile(process.env.BENCH_PROFILE_NAME ?? 'process').catch((error: unknown) => process.stderr.write(`profile failed: ${String(error)}\n`));
  });
}

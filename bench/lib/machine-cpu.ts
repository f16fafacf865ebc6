// Read by the send benchmark in WaGo's bench process and in the raw Baileys process alike.
import { readdir, readFile } from 'node:fs/promises';
/**
 * Busy CPU time of the whole machine so far (ms, all cores: user, system and interrupts),
 * from /proc/stat. A send costs CPU in several processes (the sender, the emulator, PostgreSQL,
 * the load generator); on a machine whose cores they share, this is what a rate is bound by.
 */
export async function machineBusyMs(): Promise<number> {
  const cpu = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal…: time taken by other machines (steal) is not ours either.
  const [user, nice, system, , , irq, softirq] = cpu;
  return ((user + nice + system + irq + softirq) * 1000) / 100;
}

/**
 * A process's main thread so far, from the scheduler's statistics (ms): time on a core, and time
 * runnable but waiting for one. On a machine whose cores are all busy, an event-loop turn that
 * needs 20 ms of CPU can take much longer; the wait says how much of the wall time went that way.
 */
export async function mainThreadSched(pid: number): Promise<{ cpuMs: number; waitMs: number }> {
  const [cpuNs, waitNs] = (await readFile(`/proc/${pid}/task/${pid}/schedstat`, 'utf8')).trim().split(/\s+/).map(Number);
  return { cpuMs: cpuNs / 1e6, waitMs: waitNs / 1e6 };
}

/** CPU time (user+system, ms) used so far by every live process with this command name (`postgres`). */
export async function commandCpuMs(command: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === command) total += statCpuMs(stat);
    } catch {
      // The process ended between the listing and the read: its time is gone with it.
    }
  }
  return total;
}

/** Write system calls (write, writev, send…) a process has made so far, from /proc/<pid>/io. */
export async function writeCalls(pid: number): Promise<number> {
  return Number(/syscw:\s+(\d+)/.exec(await readFile(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);
}

/** Where the machine's CPU went in a measured window, per message (ms, write calls as a count). */
export interface CpuSplit {
  /** Busy time of the whole machine (every process, all cores). */
  machine: number;
  /** The sender's main thread on a core, and runnable but waiting for one. */
  mainThread: number;
  mainThreadWaiting: number;
  /** The sender's other threads: V8's garbage-collection helpers, libuv's pool. */
  otherThreads: number;
  postgres: number;
  emulator: number;
  /** The process making the calls, when it is not the sender (WaGo's HTTP client). */
  loadGenerator: number;
  senderWriteCalls: number;
  emulatorWriteCalls: number;
}

/** Starts measuring a window; the returned function ends it and divides by the messages sent. */
export async function startCpuSplit(senderPid: number, emulatorPid: number, loadGeneratorIsSender: boolean): Promise<(messages: number) => Promise<CpuSplit>> {
  const read = async () => ({
    machine: await machineBusyMs(),
    sender: await cpuMs(senderPid),
    sched: await mainThreadSched(senderPid),
    postgres: await commandCpuMs('postgres'),
    emulator: await cpuMs(emulatorPid),
    senderWrites: await writeCalls(senderPid),
    emulatorWrites: await writeCalls(emulatorPid),
    load: process.cpuUsage(),
  });
  const before = await read();
  return async (messages) => {
    const after = await read();
    const per = (n: number) => n / messages;
    const mainThread = per(after.sched.cpuMs - before.sched.cpuMs);
    const load = process.cpuUsage(before.load);
    return {
      machine: per(after.machine - before.machine),
      mainThread,
      mainThreadWaiting: per(after.sched.waitMs - before.sched.waitMs),
      otherThreads: per(after.sender - before.sender) - mainThread,
      postgres: per(after.postgres - before.postgres),
      emulator: per(after.emulator - before.emulator),
      loadGenerator: loadGeneratorIsSender ? 0 : per((load.user + load.system) / 1000),
      senderWriteCalls: per(after.senderWrites - before.senderWrites),
      emulatorWriteCalls: per(after.emulatorWrites - before.emulatorWrites),
    };
  };
}

/** CPU time (user+system, ms) a process has used so far, all its threads, from /proc. */
export async function cpuMs(pid: number): Promise<number> {
  return statCpuMs(await readFile(`/proc/${pid}/stat`, 'utf8'));
}

/** utime + stime of a /proc/<pid>/stat line, in ms (clock ticks of 10 ms). */
function statCpuMs(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

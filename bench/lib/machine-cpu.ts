// Read by the send benchmark in WaGo's bench process and in the raw Baileys process alike.
import { readFile } from 'node:fs/promises';
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

import type { CpuSplit } from './machine-cpu';

/** Prints a markdown table. */
export function printTable(title: string, header: string[], rows: Array<Array<string | number>>): void {
  const lines = [`\n### ${title}\n`, `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** One send-benchmark result, measured the same way for WaGo and for raw Baileys. */
export interface SendResult {
  messages: number;
  seconds: number;
  callMs: number[];
  receiptMs: number[];
  maxLoopStallMs: number;
  /** The 99th percentile of the event loop's delay: how long most turns were, next to the longest. */
  p99LoopDelayMs: number;
  /** Where the machine's CPU went, per message, until the receipts were in. */
  split: CpuSplit;
  /** From the first send to the last delivery receipt (NaN when a receipt never came). */
  deliveredSeconds: number;
}

/** Messages per second counted until the last delivery receipt: the sends and their receipts' work. */
export function deliveredRate(r: SendResult): number {
  return r.messages / r.deliveredSeconds;
}

export function sendRow(name: string, r: SendResult): Array<string | number> {
  return [
    name,
    Math.round(r.messages / r.seconds),
    Number.isFinite(r.deliveredSeconds) ? Math.round(deliveredRate(r)) : 'n/a',
    percentile(r.callMs, 50).toFixed(0),
    percentile(r.callMs, 99).toFixed(0),
    percentile(r.receiptMs, 50).toFixed(0),
    percentile(r.receiptMs, 99).toFixed(0),
    `${r.receiptMs.length}/${r.messages}`,
    `${r.maxLoopStallMs.toFixed(0)} (${r.p99LoopDelayMs.toFixed(0)})`,
    (r.split.mainThread + r.split.otherThreads).toFixed(2),
    r.split.machine.toFixed(2),
    r.split.loadGenerator ? r.split.loadGenerator.toFixed(2) : '—',
    r.split.mainThreadWaiting.toFixed(2),
  ];
}

export const SEND_HEADER = ['who', 'messages/s (calls)', 'messages/s (to last receipt)', 'call p50 ms', 'call p99 ms', 'receipt p50 ms', 'receipt p99 ms', 'receipts tracked', 'max event-loop stall ms (p99 delay)', 'sender CPU ms/message', 'machine CPU ms/message', 'load generator CPU ms/message', 'sender main thread waiting for a core ms/message'];

/** A row of ratios under the send table: a label, the calls and delivered ratios, the rest blank. */
export function ratioRow(label: string, calls: string, delivered: string): string[] {
  return [label, calls, delivered, ...SEND_HEADER.slice(3).map(() => '')];
}

export function splitRow(name: string, r: SendResult): Array<string | number> {
  const s = r.split;
  return [name, s.mainThread.toFixed(2), s.mainThreadWaiting.toFixed(2), s.otherThreads.toFixed(2), s.postgres.toFixed(2), s.emulator.toFixed(2), s.loadGenerator ? s.loadGenerator.toFixed(2) : '—', s.senderWriteCalls.toFixed(1), s.emulatorWriteCalls.toFixed(1)];
}

export const SPLIT_HEADER = ['who', 'sender main thread CPU', 'sender main thread waiting for a core', "sender's other threads CPU", 'PostgreSQL CPU', 'emulator CPU', 'load generator CPU', 'sender write calls', 'emulator write calls'];

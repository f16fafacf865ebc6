import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Emulator } from '../../emulator/index';
import { emulatorEnv, waitFor, OWNER_PHONE } from './emulated-wago';
import { queryRows } from './db';

/** A REST answer from a spawned WaGo. */
export interface RestAnswer<T> {
  status: number;
  data: T;
  error?: string;
}

/** One REST call; a connection that breaks (the process died) rejects. */
export async function rest<T>(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<RestAnswer<T>> {
  const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = (await res.json()) as { data: T; error?: string };
  return { status: res.status, data: json.data, error: json.error };
}

/** The settings of WaGo processes sharing one database and one emulator (their own data folders come from `dataDir`). */
export function processEnv(emu: Emulator, databaseUrl: string, admin: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: databaseUrl, WAGO_ADMIN_TOKEN: admin, WAGO_ENCRYPTION_KEY: randomBytes(32).toString('hex'), ...emulatorEnv(emu), ...extra };
}

/** Temporary folders, removed by `cleanup()`. */
export function tempDirs(): { make(prefix: string): Promise<string>; cleanup(): Promise<void> } {
  const dirs: string[] = [];
  return {
    async make(prefix) {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    async cleanup() {
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    },
  };
}

/** Creates a session through `base`, links it to the emulated phone and waits until `statusBase` says connected; returns its token. */
export async function linkOverRest(emu: Emulator, base: string, admin: string, name: string, phone = OWNER_PHONE): Promise<string> {
  const init = await rest<{ token: string }>(base, 'POST', '/session/init', { admintoken: admin }, { Name: name });
  const token = init.data.token;
  await rest(base, 'POST', '/session/connect', { token });
  const code = await waitFor('qr', async () => (await rest<{ Code?: string }>(base, 'GET', '/session/qr', { token })).data?.Code);
  await emu.control.scanQr(code, phone);
  await waitFor('connected', async () => (await rest<{ Connected: boolean }>(base, 'GET', '/session/status', { token })).data?.Connected, 30_000);
  return token;
}

/** How many rows the message store holds for each WhatsApp message id (ids absent have none). */
export async function storedCounts(databaseUrl: string, ids: string[]): Promise<Map<string, number>> {
  const rows = await queryRows<{ message_id: string; n: string }>(
    databaseUrl,
    'SELECT "message_id", count(*) AS n FROM "messages" WHERE "message_id" = ANY($1::text[]) GROUP BY "message_id"',
    [ids],
  );
  return new Map(rows.map((r) => [r.message_id, Number(r.n)]));
}

/** The text the message store holds for each WhatsApp message id. */
export async function storedTexts(databaseUrl: string, ids: string[]): Promise<Map<string, string | null>> {
  const rows = await queryRows<{ message_id: string; text: string | null }>(databaseUrl, 'SELECT "message_id", "text" FROM "messages" WHERE "message_id" = ANY($1::text[])', [ids]);
  return new Map(rows.map((r) => [r.message_id, r.text]));
}

/**
 * Reads `storedCounts` of `sent` every 100 ms until every message is stored or `timeoutMs` has
 * passed, and resolves with the counts read last: complete, or what the test's assertions show missing.
 */
export async function awaitStored(databaseUrl: string, sent: string[], timeoutMs = 20_000): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await storedCounts(databaseUrl, sent);
    if (counts.size === sent.length || Date.now() > deadline) return counts;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The emulated phone's linked device (the session's), once linked. */
export function ownerDevice(emu: Emulator, phone = OWNER_PHONE) {
  return emu.control.devices().find((d) => d.phone === phone && d.state === 'linked');
}

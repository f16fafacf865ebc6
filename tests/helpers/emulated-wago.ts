import pino from 'pino';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../emulator/index';
import { EMULATOR_TLS_CERT } from '../../emulator/media/tls';
import { createTestDatabase, type TestDatabase } from './db';
import { startTestWago, type TestWago } from './wago';
import type { WagoEvent } from '../../server/events/types';

export const OWNER_PHONE = '15550001000';
export const ALICE = '15550002001';

/** A WaGo pointed at an in-process WhatsApp emulator, on a fresh database. */
export interface EmulatedWago {
  emu: Emulator;
  db: TestDatabase;
  wago: TestWago;
  restart(env?: Record<string, string>): Promise<TestWago>;
  stop(): Promise<void>;
}

/** The settings that point a WaGo at an emulator (its websocket, certificate root and media CA). */
export function emulatorEnv(emu: Emulator): Record<string, string> {
  return { WAGO_WA_WS_URL: emu.wsUrl, WAGO_WA_ROOT_KEY: emu.rootPublicKey.toString('hex'), WAGO_WA_MEDIA_CA: EMULATOR_TLS_CERT };
}

export async function startEmulatedWago(env: Record<string, string> = {}, opts: { next?: boolean; emulator?: EmulatorOptions; logger?: pino.Logger } = {}): Promise<EmulatedWago> {
  const emu = await startEmulator({ port: 0, logger: pino({ level: 'silent' }), ...opts.emulator });
  const db = await createTestDatabase();
  const wagoEnv = () => ({ ...emulatorEnv(emu), ...env });
  const handle: EmulatedWago = {
    emu,
    db,
    wago: await startTestWago({ databaseUrl: db.url, next: opts.next, env: wagoEnv(), logger: opts.logger }),
    async restart(extra = {}) {
      await handle.wago.stop();
      handle.wago = await startTestWago({ databaseUrl: db.url, next: opts.next, env: { ...wagoEnv(), ...extra }, logger: opts.logger });
      return handle.wago;
    },
    async stop() {
      await handle.wago.stop();
      await emu.stop();
      await db.drop();
    },
  };
  return handle;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Collects a session's live events over socket.io. */
export async function listen(url: string, token: string): Promise<{ events: WagoEvent[]; socket: Socket; next(type: string, pred?: (e: WagoEvent) => boolean, timeoutMs?: number): Promise<WagoEvent> }> {
  const socket = connectSocket(url, { path: '/socket.io', auth: { token }, transports: ['websocket'], reconnection: false });
  const events: WagoEvent[] = [];
  socket.on('event', (e: WagoEvent) => events.push(e));
  await new Promise<void>((resolve, reject) => {
    socket.on('ready', () => resolve());
    socket.on('connect_error', reject);
  });
  return {
    events,
    socket,
    next: (type, pred = () => true, timeoutMs = 20_000) =>
      waitFor(`${type} event`, async () => events.find((e) => e.type === type && pred(e)), timeoutMs),
  };
}

/** Creates a session, links it by QR to the emulated phone (`phone`'s account) and waits until it is connected; returns its token. */
export async function linkedSession(env: EmulatedWago, name = 'test', phone = OWNER_PHONE): Promise<string> {
  const init = await env.wago.call<{ token: string }>('POST', '/session/init', { admin: true, body: { Name: name } });
  const token = init.body.data!.token;
  await env.wago.call('POST', '/session/connect', { token });
  const qr = await waitFor('qr', async () => (await env.wago.call<{ Code: string }>('GET', '/session/qr', { token })).body.data?.Code);
  await env.emu.control.scanQr(qr, phone);
  await waitFor('connected', async () => (await env.wago.call<{ Connected: boolean }>('GET', '/session/status', { token })).body.data!.Connected);
  return token;
}

/** What every send route answers. */
export type { SendAnswer } from '../../server/services/messaging/outgoing';

/** Shared helpers for emulator tests: in-memory Baileys auth, sockets, waiting for events, linking. */
import {
	type AuthenticationState,
	proto,
	type WAMessage,
	type WAMessageUpdate,
	type BaileysEventMap,
	type ConnectionState,
	makeWASocket,
	type UserFacingSocketConfig,
	type WASocket
} from 'baileys'
import pino from 'pino'
import { trustEmulatorRoot } from '../../emulator/client-trust.js'
import { memoryAuth as memoryAuthWith, memoryKeyStore } from '../../emulator/client-memory-auth.js'
import { type Emulator, type EmulatorOptions, startEmulator } from '../../emulator/index.js'

export const silent = pino({ level: 'silent' })

/**
 * Baileys leaks long timers: the 30 s pre-key upload timeout (never cleared) and the 60 s timeout of any
 * query still in flight when a socket ends (end() removes the close listeners that would reject it).
 * They would keep each test process alive for up to a minute after its last test, so long timers are
 * unref'ed in test processes. Nothing in the tests relies on a timer of 20 s or more.
 */
function unrefLongTimers(): void {
	const original = globalThis.setTimeout
	const patched = ((handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
		const timer = original(handler, ms, ...args)
		if ((ms ?? 0) >= 20_000) timer.unref()
		return timer
	}) as typeof setTimeout
	globalThis.setTimeout = Object.assign(patched, original)
}
unrefLongTimers()
export const OWNER_PHONE = '15550001000'
export const ALICE = '15550002001'
export const BOB = '15550002002'
export const ECHO = '15550009999'

export { memoryKeyStore }

export function memoryAuth(): AuthenticationState {
	return memoryAuthWith(silent)
}

export async function startTestEmulator(opts: EmulatorOptions = {}): Promise<{ emu: Emulator; untrust: () => void }> {
	const emu = await startEmulator({ logger: silent, ...opts })
	const untrust = trustEmulatorRoot(emu.rootPublicKey)
	return { emu, untrust }
}

export function connect(emu: Emulator, auth: AuthenticationState, extra: Partial<UserFacingSocketConfig> = {}): WASocket {
	return makeWASocket({
		waWebSocketUrl: emu.wsUrl,
		auth,
		logger: silent,
		markOnlineOnConnect: false,
		shouldSyncHistoryMessage: () => false,
		...extra
	})
}

/** waits for an event whose payload satisfies `predicate` */
export function waitForEvent<K extends keyof BaileysEventMap>(
	sock: WASocket,
	event: K,
	predicate: (arg: BaileysEventMap[K]) => boolean = () => true,
	timeoutMs = 15_000
): Promise<BaileysEventMap[K]> {
	return new Promise((resolve, reject) => {
		const handler = (arg: BaileysEventMap[K]): void => {
			if (!predicate(arg)) return
			clearTimeout(timer)
			sock.ev.off(event, handler)
			resolve(arg)
		}
		const timer = setTimeout(() => {
			sock.ev.off(event, handler)
			reject(new Error(`timed out waiting for ${String(event)}`))
		}, timeoutMs)
		sock.ev.on(event, handler)
	})
}

/** resolves with the statusCode of the close (undefined if no Boom) */
export function waitForClose(sock: WASocket, timeoutMs = 15_000): Promise<{ statusCode: number | undefined; message: string | undefined }> {
	return waitForEvent(sock, 'connection.update', u => u.connection === 'close', timeoutMs).then((u: Partial<ConnectionState>) => {
		const err = u.lastDisconnect?.error as (Error & { output?: { statusCode?: number } }) | undefined
		return { statusCode: err?.output?.statusCode, message: err?.message }
	})
}

export function waitForOpen(sock: WASocket, timeoutMs = 15_000): Promise<Partial<ConnectionState>> {
	return waitForEvent(sock, 'connection.update', u => u.connection === 'open', timeoutMs)
}

export function waitForQr(sock: WASocket, timeoutMs = 15_000): Promise<string> {
	return waitForEvent(sock, 'connection.update', u => !!u.qr, timeoutMs).then(u => u.qr!)
}

/** resolves once the client processed the offline marker (events are flushed) */
export function waitForOnline(sock: WASocket, timeoutMs = 15_000): Promise<unknown> {
	return waitForEvent(sock, 'connection.update', u => u.receivedPendingNotifications === true, timeoutMs)
}

/** ends a socket and waits until Baileys reports it closed */
export async function endSocket(sock: WASocket | undefined): Promise<void> {
	if (!sock || sock.ws.isClosed || sock.ws.isClosing) return
	const closed = waitForClose(sock, 5000).catch(() => undefined)
	sock.end(undefined)
	await closed
}

export interface LinkedClient {
	sock: WASocket
	auth: AuthenticationState
}

/** pairs a fresh client by QR with `phone`, waits for the 515 restart, logs in again and waits until online */
export async function linkByQr(emu: Emulator, phone = OWNER_PHONE, extra: Partial<UserFacingSocketConfig> = {}): Promise<LinkedClient> {
	const auth = memoryAuth()
	const first = connect(emu, auth, extra)
	const qr = await waitForQr(first)
	const closed = waitForClose(first)
	await emu.control.scanQr(qr, phone)
	const { statusCode } = await closed
	if (statusCode !== 515) throw new Error(`expected restart 515 after pairing, got ${statusCode}`)
	const sock = connect(emu, auth, extra)
	await Promise.all([waitForOpen(sock), waitForOnline(sock)])
	return { sock, auth }
}

/** An emulator with one linked client per phone (in that order), and how to stop it all */
export interface LinkedEmulator {
	emu: Emulator
	clients: LinkedClient[]
	stop(): Promise<void>
}

export async function startLinked(phones: string[], extra: Partial<UserFacingSocketConfig> = {}): Promise<LinkedEmulator> {
	const { emu, untrust } = await startTestEmulator()
	const clients: LinkedClient[] = []
	for (const phone of phones) clients.push(await linkByQr(emu, phone, extra))
	return {
		emu,
		clients,
		async stop() {
			for (const c of clients) await endSocket(c.sock)
			await emu.stop()
			untrust()
		}
	}
}

/** the text of a plain or extended text message */
export const textOf = (m: WAMessage): string | undefined => m.message?.conversation ?? m.message?.extendedTextMessage?.text ?? undefined

/** a phone number's user JID */
export const jid = (phone: string): string => `${phone}@s.whatsapp.net`

export function sleep(ms: number): Promise<void> {
	return new Promise(resolve => setTimeout(resolve, ms))
}

export { until } from '../helpers/until.js'

/**
 * Resolves with the status of message `id` once it reaches `status`. Baileys reports it in messages.update,
 * or folds it into the still-buffered messages.upsert of the sent message: both count.
 */
export function waitForStatus(client: LinkedClient, id: string, status: number, timeoutMs = 10_000): Promise<number> {
	const level = (s: unknown): number => (typeof s === 'string' ? proto.WebMessageInfo.Status[s as keyof typeof proto.WebMessageInfo.Status] : Number(s ?? 0))
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			client.sock.ev.off('messages.update', onUpdate)
			client.sock.ev.off('messages.upsert', onUpsert)
			reject(new Error(`timed out waiting for status ${status} of ${id}`))
		}, timeoutMs)
		const done = (s: number): void => {
			clearTimeout(timer)
			client.sock.ev.off('messages.update', onUpdate)
			client.sock.ev.off('messages.upsert', onUpsert)
			resolve(s)
		}
		const onUpdate = (updates: WAMessageUpdate[]): void => {
			const u = updates.find(x => x.key.id === id && level(x.update.status) >= status)
			if (u) done(level(u.update.status))
		}
		const onUpsert = ({ messages }: { messages: WAMessage[] }): void => {
			const m = messages.find(x => x.key.id === id && level(x.status) >= status)
			if (m) done(level(m.status))
		}
		client.sock.ev.on('messages.update', onUpdate)
		client.sock.ev.on('messages.upsert', onUpsert)
	})
}


/**
 * Emulator benchmark: `tsx bench/emulator.bench.ts` (env BENCH_CLIENTS="1,10", BENCH_MESSAGES=2000).
 * Starts the emulator in a child process (so its CPU time is measured alone), links N real Baileys
 * clients (each on its own phone account) and routes 1:1 texts:
 *   1. contacts -> clients   (emulated phones encrypt, Baileys decrypts)
 *   2. clients -> contacts   (Baileys encrypts, emulated phones decrypt; + own-phone copies)
 *   3. clients -> clients    (pure forwarding of device copies, N >= 2)
 * Prints a markdown table. The clients run in this process and are usually the bottleneck: the
 * "emulator CPU per message" column tells how much routing capacity the emulator has.
 */
import { memoryAuth as memoryAuthWith } from '../emulator/client-memory-auth.js'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import {
	type AuthenticationState,
	makeWASocket,
	type WASocket
} from 'baileys'
import pino from 'pino'
import { trustEmulatorRoot } from '../emulator/client-trust.js'

const silent = pino({ level: 'silent' })
const CLIENT_COUNTS = (process.env.BENCH_CLIENTS ?? '1,10').split(',').map(Number)
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 2000)
const CONTACTS = ['15550002001', '15550002002', '15550002003']

// Baileys leaks a 30 s pre-key upload timer per first login and 60 s query timers on end(): don't let them hold the process
const originalSetTimeout = globalThis.setTimeout
globalThis.setTimeout = Object.assign(((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
	const t = originalSetTimeout(fn, ms, ...args)
	if ((ms ?? 0) >= 20_000) t.unref()
	return t
}) as typeof setTimeout, originalSetTimeout)

interface EmulatorProcess {
	base: string
	wsUrl: string
	rootKey: Buffer
	stop(): void
}

async function spawnEmulator(): Promise<EmulatorProcess> {
	// BENCH_PROFILE=<folder>: write a CPU profile of the emulator there
	const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), '--import', 'tsx', 'emulator/cli.ts'], {
		env: { ...process.env, EMULATOR_PORT: '0', EMULATOR_LOG_LEVEL: 'warn' },
		stdio: ['ignore', 'pipe', 'inherit']
	})
	const lines = createInterface({ input: child.stdout! })
	let wsUrl = ''
	let base = ''
	let rootKey = ''
	await new Promise<void>((resolve, reject) => {
		child.once('exit', code => reject(new Error(`emulator exited with ${code}`)))
		lines.on('line', line => {
			const m = /websocket.*: (\S+)|control API:\s+(\S+)|root public key.*:\s+([0-9a-f]{64})/.exec(line)
			if (m?.[1]) wsUrl = m[1]
			if (m?.[2]) base = m[2].replace(/\/control$/, '')
			if (m?.[3]) rootKey = m[3]
			if (wsUrl && base && rootKey) resolve()
		})
	})
	return { base, wsUrl, rootKey: Buffer.from(rootKey, 'hex'), stop: () => child.kill('SIGTERM') }
}

async function api<T>(emu: EmulatorProcess, method: string, path: string, body?: unknown): Promise<T> {
	const res = await fetch(`${emu.base}${path}`, {
		method,
		headers: body ? { 'content-type': 'application/json' } : undefined,
		body: body ? JSON.stringify(body) : undefined
	})
	const json = (await res.json()) as T
	if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`)
	return json
}

interface Stats {
	clientMessages: number
	phoneDecrypts: number
	forwarded: number
	phoneEncrypts: number
	cpuUserMs: number
	cpuSystemMs: number
}

const memoryAuth = (): AuthenticationState => memoryAuthWith(silent)

function socket(emu: EmulatorProcess, auth: AuthenticationState): WASocket {
	return makeWASocket({ waWebSocketUrl: emu.wsUrl, auth, logger: silent, markOnlineOnConnect: false, shouldSyncHistoryMessage: () => false })
}

function once<T>(sock: WASocket, pick: (u: Parameters<Parameters<WASocket['ev']['on']>[1]>[0]) => T | undefined, timeoutMs = 20_000): Promise<T> {
	return new Promise((resolve, reject) => {
		const timer = originalSetTimeout(() => reject(new Error('timeout waiting for connection update')), timeoutMs)
		const handler = (u: Parameters<Parameters<WASocket['ev']['on']>[1]>[0]): void => {
			const v = pick(u)
			if (v === undefined) return
			clearTimeout(timer)
			sock.ev.off('connection.update', handler)
			resolve(v)
		}
		sock.ev.on('connection.update', handler)
	})
}

async function link(emu: EmulatorProcess, phone: string): Promise<WASocket> {
	const auth = memoryAuth()
	const first = socket(emu, auth)
	const qr = await once(first, u => (u as { qr?: string }).qr)
	const closed = once(first, u => ((u as { connection?: string }).connection === 'close' ? true : undefined))
	await api(emu, 'POST', '/control/pairing/qr/scan', { qr, phone })
	await closed
	const sock = socket(emu, auth)
	await Promise.all([
		once(sock, u => ((u as { connection?: string }).connection === 'open' ? true : undefined)),
		once(sock, u => ((u as { receivedPendingNotifications?: boolean }).receivedPendingNotifications ? true : undefined))
	])
	return sock
}

interface Row {
	scenario: string
	clients: number
	messages: number
	seconds: number
	emulatorCpuMs: number
}

async function measure(emu: EmulatorProcess, scenario: string, clients: number, messages: number, run: () => Promise<void>): Promise<Row> {
	const before = await api<Stats>(emu, 'GET', '/control/stats')
	const t0 = performance.now()
	await run()
	const seconds = (performance.now() - t0) / 1000
	const after = await api<Stats>(emu, 'GET', '/control/stats')
	const emulatorCpuMs = after.cpuUserMs + after.cpuSystemMs - before.cpuUserMs - before.cpuSystemMs
	return { scenario, clients, messages, seconds, emulatorCpuMs }
}

async function waitStat(emu: EmulatorProcess, key: keyof Stats, target: number, timeoutMs = 90_000): Promise<void> {
	const deadline = Date.now() + timeoutMs
	for (;;) {
		const s = await api<Stats>(emu, 'GET', '/control/stats')
		if (s[key] >= target) return
		if (Date.now() > deadline) throw new Error(`timed out: ${key} ${s[key]} < ${target}`)
		await new Promise(r => originalSetTimeout(r, 20))
	}
}

/** sends `count` texts from one client with at most `inFlight` pending, yielding to the event loop */
async function blast(sock: WASocket, to: string[], count: number, inFlight = 20): Promise<void> {
	let next = 0
	const worker = async (): Promise<void> => {
		while (next < count) {
			const i = next++
			await sock.sendMessage(to[i % to.length]!, { text: `load ${i}` })
			await new Promise(r => setImmediate(r))
		}
	}
	await Promise.all(Array.from({ length: inFlight }, worker))
}

async function runRound(emu: EmulatorProcess, n: number): Promise<Row[]> {
	await api(emu, 'POST', '/control/reset')
	const phones: string[] = []
	for (let i = 0; i < n; i++) {
		const phone = `1777000${String(i).padStart(4, '0')}`
		await api(emu, 'POST', '/control/accounts', { phone, name: `Bench ${i}` })
		phones.push(phone)
	}
	const socks: WASocket[] = []
	for (const phone of phones) socks.push(await link(emu, phone))
	const rows: Row[] = []
	const perClient = Math.max(1, Math.floor(MESSAGES / n))
	const total = perClient * n

	// 1. contacts -> clients
	let received = 0
	const allReceived = new Promise<void>(resolve => {
		for (const sock of socks) {
			sock.ev.on('messages.upsert', ({ messages }) => {
				received += messages.filter(m => !m.key.fromMe && m.message).length
				if (received >= total) resolve()
			})
		}
	})
	let emulatorSendSeconds = 0
	let emulatorSendCpuMs = 0
	rows.push(
		await measure(emu, 'contacts → clients (end to end)', n, total, async () => {
			// each send-many reports its own server-side wall and CPU time (the bench process is busy decrypting)
			const results = await Promise.all(
				phones.map((phone, i) =>
					api<{ elapsedMs: number; cpuMs: number }>(emu, 'POST', `/control/accounts/${CONTACTS[i % CONTACTS.length]}/send-many`, { to: phone, text: 'hello', count: perClient })
				)
			)
			// requests may overlap: the sums are an upper bound of the emulator's time
			emulatorSendSeconds = results.reduce((a, r) => a + r.elapsedMs, 0) / 1000
			emulatorSendCpuMs = results.reduce((a, r) => a + r.cpuMs, 0)
			await allReceived
		})
	)
	rows.push({ scenario: 'contacts → clients (emulator side: encrypt + route only)', clients: n, messages: total, seconds: emulatorSendSeconds, emulatorCpuMs: emulatorSendCpuMs })

	// 2. clients -> contacts (each message = 1 contact copy + 1 own-phone copy, both decrypted)
	const base = await api<Stats>(emu, 'GET', '/control/stats')
	rows.push(
		await measure(emu, 'clients → contacts (decrypted by phones)', n, total, async () => {
			await Promise.all(socks.map(sock => blast(sock, CONTACTS.map(c => `${c}@s.whatsapp.net`), perClient)))
			await waitStat(emu, 'phoneDecrypts', base.phoneDecrypts + total * 2)
		})
	)

	// 3. clients -> clients
	if (n >= 2) {
		const before = await api<Stats>(emu, 'GET', '/control/stats')
		rows.push(
			await measure(emu, 'clients → clients (forwarded)', n, total, async () => {
				await Promise.all(socks.map((sock, i) => blast(sock, [`${phones[(i + 1) % n]}@s.whatsapp.net`], perClient)))
				await waitStat(emu, 'forwarded', before.forwarded + total)
			})
		)
	}
	for (const sock of socks) sock.end(undefined)
	return rows
}

async function main(): Promise<void> {
	// libsignal logs session changes with console.log/info; keep the table readable
	console.log = () => undefined
	console.info = () => undefined
	const emu = await spawnEmulator()
	trustEmulatorRoot(emu.rootKey)
	const rows: Row[] = []
	try {
		for (const n of CLIENT_COUNTS) rows.push(...(await runRound(emu, n)))
	} finally {
		emu.stop()
	}
	const lines = [
		'| scenario | clients | messages | wall s | messages/s | emulator CPU ms | emulator CPU % of a core | emulator CPU µs/message | emulator capacity msg/s/core |',
		'|---|---:|---:|---:|---:|---:|---:|---:|---:|'
	]
	for (const r of rows) {
		lines.push(
			`| ${r.scenario} | ${r.clients} | ${r.messages} | ${r.seconds.toFixed(2)} | ${Math.round(r.messages / r.seconds)} | ${Math.round(r.emulatorCpuMs)} | ${Math.round((r.emulatorCpuMs / 10) / r.seconds)}% | ${Math.round((r.emulatorCpuMs * 1000) / r.messages)} | ${Math.round(r.messages / (r.emulatorCpuMs / 1000))} |`
		)
	}
	process.stdout.write(`\n${lines.join('\n')}\n\n`)
	process.stdout.write(
		'Clients run in the bench process and are the bottleneck of the end-to-end rows; "capacity" = messages per CPU-second of the\n' +
			'emulator (its own process), i.e. what one core could route if clients were faster. "emulator side" rows time send-many\n' +
			'inside the emulator (wall and CPU of that request; concurrent incoming receipts are included).\n'
	)
}

main().then(
	() => process.exit(0),
	(err: Error) => {
		process.stderr.write(`${err.stack}\n`)
		process.exit(1)
	}
)

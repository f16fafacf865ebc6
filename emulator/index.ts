/**
 * WhatsApp server emulator: the real, unmodified Baileys client connects to `wsUrl`
 * (socket option `waWebSocketUrl`) after trusting `rootPublicKey` (see client-trust.ts).
 * One HTTP server carries the client WebSocket (/ws/chat), the control API (/control/...) and media.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { type AddressInfo, createServer as createNetServer, type Socket } from 'node:net'
import pino, { type Logger } from 'pino'
import { WebSocketServer } from 'ws'
import { makeCertBundle } from './certs.js'
import { ClientConnection } from './connection.js'
import type { EmulatorContext, IqHandler, StanzaHandler } from './context.js'
import { Control } from './control/actions.js'
import { ControlHttp } from './control/http.js'
import * as misc from './handlers/iq-misc.js'
import { groupMessageFromDevice } from './handlers/group-message.js'
import { groupsIq } from './handlers/groups.js'
import { installAppState } from './handlers/appstate.js'
import { login, removeCompanionIq } from './handlers/login.js'
import { messageStanza } from './handlers/message.js'
import { CodePairing } from './handlers/pair-code.js'
import { QrPairing } from './handlers/pair.js'
import { encryptIq } from './handlers/prekeys.js'
import { chatstateStanza, ibStanza, presenceStanza } from './handlers/presence.js'
import { type CallControl, installCalls } from './calls/control.js'
import { ackStanza, receiptStanza } from './handlers/receipt.js'
import { usyncIq } from './handlers/usync.js'
import { installUsers } from './handlers/users.js'
import { installBusiness } from './handlers/business-control.js'
import { installChatRead } from './handlers/chat-read.js'
import { installLabels } from './handlers/labels-control.js'
import { installNewsletters } from './handlers/newsletter-control.js'
import { installBots } from './handlers/bots.js'
import { installBotControl } from './handlers/bots-control.js'
import { MediaStore } from './media/store.js'
import { EMULATOR_TLS_CERT, EMULATOR_TLS_KEY } from './media/tls.js'
import { type AccountSpec, DEFAULT_ACCOUNTS, World } from './world/world.js'

export interface EmulatorOptions {
	/** 0 = random free port (default 0) */
	port?: number
	/** default 127.0.0.1 */
	host?: string
	/** makes certificate, account keys and LIDs deterministic (default "wago-emulator") */
	seed?: string
	logger?: Logger
	/** initial phone accounts (default: DEFAULT_ACCOUNTS, phone 15550001000 + contacts + an echo bot) */
	contacts?: AccountSpec[]
	/** delay of automatic delivery/read receipts from emulated phones (default 30 ms; 0 = immediately) */
	receiptDelayMs?: number
	/** delay of the phone's app-state key share after linking (default 0 = at once; a real phone takes a moment) */
	appStateKeyDelayMs?: number
	/** sign the account identity at pairing with a wrong key (default false; a verifying client refuses the link) */
	wrongAccountSignatureKey?: boolean
}

export interface Emulator {
	/** http base, e.g. http://127.0.0.1:4040 */
	url: string
	/** ws://host:port/ws/chat, for Baileys' waWebSocketUrl */
	wsUrl: string
	/** the root public key of the emulator's certificate chain (32 bytes) */
	rootPublicKey: Buffer
	world: World
	control: Control
	controlHttp: ControlHttp
	/** emulated calls: phones that call linked devices and answer their calls */
	calls: CallControl
	context: EmulatorContext
	stop(): Promise<void>
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
	const host = opts.host ?? '127.0.0.1'
	const seed = opts.seed ?? 'wago-emulator'
	const logger = opts.logger ?? pino({ level: process.env.EMULATOR_LOG_LEVEL ?? 'info', name: 'wa-emulator' })
	const world = new World(seed, logger, opts.contacts ?? DEFAULT_ACCOUNTS)
	let base = ''
	let publicHost = ''

	const ctx = {
		world,
		logger,
		certs: makeCertBundle(seed),
		httpBase: () => base,
		connections: new Set<ClientConnection>(),
		iq: new Map<string, IqHandler>(),
		stanzas: new Map<string, StanzaHandler>(),
		login,
		options: {
			receiptDelayMs: opts.receiptDelayMs ?? 30,
			appStateKeyDelayMs: opts.appStateKeyDelayMs ?? 0,
			wrongAccountSignatureKey: opts.wrongAccountSignatureKey ?? false
		},
		stats: { clientMessages: 0, phoneDecrypts: 0, forwarded: 0, phoneEncrypts: 0, clientReceipts: 0, retriesResent: 0, privacyTokensIssued: 0, statusesReceived: 0, usyncContactQueries: 0, groupMetadataQueries: 0 },
		register: (c: EmulatorContext, conn: ClientConnection) => c.services.qr.start(conn)
	} as Omit<EmulatorContext, 'services'> as EmulatorContext
	const qr = new QrPairing(ctx)
	const codes = new CodePairing(ctx, conn => qr.drop(conn))
	const media = new MediaStore(() => publicHost)
	ctx.services = { qr, codes, groups: { onMessage: groupMessageFromDevice }, media }
	ctx.iq.set('w:m', media.mediaConnIq)
	world.on('reset', () => media.clear())

	ctx.iq.set('w:p', misc.pingIq)
	ctx.iq.set('passive', misc.passiveIq)
	ctx.iq.set('w:stats', misc.statsIq)
	ctx.iq.set('urn:xmpp:whatsapp:dirty', misc.dirtyIq)
	ctx.iq.set('abt', misc.propsIq)
	ctx.iq.set('privacy', misc.privacyIq)
	ctx.iq.set('blocklist', misc.blocklistIq)
	ctx.iq.set('status', misc.statusIq)
	ctx.iq.set('w:profile:picture', misc.profilePictureIq)
	ctx.iq.set('disappearing_mode', misc.disappearingIq)
	ctx.iq.set('encrypt', encryptIq)
	ctx.iq.set('usync', usyncIq)
	ctx.iq.set('w:g2', groupsIq)
	installAppState(ctx)
	ctx.iq.set(
		'md',
		misc.makeMdIq({
			'remove-companion-device': (c, conn, iq) => removeCompanionIq(c, conn, iq),
			link_code_companion_reg: (_c, conn, _iq, reg) => codes.handleIq(conn, reg)
		})
	)
	ctx.stanzas.set('message', messageStanza)
	ctx.stanzas.set('receipt', receiptStanza)
	ctx.stanzas.set('ack', ackStanza)
	ctx.stanzas.set('presence', presenceStanza)
	ctx.stanzas.set('chatstate', chatstateStanza)
	ctx.stanzas.set('ib', ibStanza)

	const control = new Control(ctx)
	const controlHttp = new ControlHttp(control, logger)
	const calls = installCalls(ctx, controlHttp)
	const extraHttp: Array<(req: IncomingMessage, res: ServerResponse) => Promise<boolean>> = []
	installUsers(ctx, controlHttp, extraHttp)
	installBusiness(ctx, controlHttp)
	installLabels(ctx, controlHttp)
	installChatRead(ctx, controlHttp)
	installNewsletters(ctx, controlHttp)
	installBots(ctx)
	installBotControl(ctx, controlHttp)

	const handler = (req: IncomingMessage, res: ServerResponse): void => {
		void (async () => {
			if (await controlHttp.handle(req, res)) return
			if (await media.handle(req, res)) return
			for (const h of extraHttp) if (await h(req, res)) return
			res.writeHead(404, { 'content-type': 'application/json' })
			res.end(JSON.stringify({ error: 'not found' }))
		})().catch((err: Error) => {
			logger.error({ err, url: req.url }, 'http handler failed')
			if (!res.headersSent) res.writeHead(500)
			res.end()
		})
	}
	// one port for everything: TLS connections (first byte 0x16) go to the HTTPS server (Baileys uploads
	// media over https only), the rest to the plain HTTP server (WebSocket, control API, downloads)
	const server = createServer(handler)
	const httpsServer = createHttpsServer({ cert: EMULATOR_TLS_CERT, key: EMULATOR_TLS_KEY }, handler)
	const sockets = new Set<Socket>()
	const front = createNetServer(socket => {
		sockets.add(socket)
		socket.once('close', () => sockets.delete(socket))
		socket.on('error', err => logger.debug({ err: err.message }, 'tcp socket error'))
		socket.once('data', first => {
			socket.pause()
			socket.unshift(first)
			;(first[0] === 0x16 ? httpsServer : server).emit('connection', socket)
			process.nextTick(() => socket.resume())
		})
	})
	const wss = new WebSocketServer({ noServer: true, maxPayload: 32 << 20 })
	server.on('upgrade', (req, socket, head) => {
		const path = new URL(req.url ?? '/', 'http://localhost').pathname
		if (path !== '/ws/chat') {
			logger.info({ path }, 'websocket upgrade on an unknown path refused')
			socket.destroy()
			return
		}
		wss.handleUpgrade(req, socket, head, ws => {
			const conn = new ClientConnection(ctx, ws, `${req.socket.remoteAddress}:${req.socket.remotePort}`)
			ctx.connections.add(conn)
		})
	})
	for (const srv of [server, httpsServer]) {
		srv.on('clientError', (err, socket) => {
			logger.debug({ err: err.message }, 'http client error')
			socket.destroy()
		})
	}
	httpsServer.on('tlsClientError', err => logger.debug({ err: err.message }, 'tls client error'))

	await new Promise<void>((resolve, reject) => {
		front.once('error', reject)
		front.listen(opts.port ?? 0, host, () => resolve())
	})
	const { port } = front.address() as AddressInfo
	const hostForUrl = host.includes(':') ? `[${host}]` : host
	base = `http://${hostForUrl}:${port}`
	publicHost = `${hostForUrl}:${port}`
	logger.info({ url: base }, 'WhatsApp emulator listening')

	return {
		url: base,
		wsUrl: `ws://${hostForUrl}:${port}/ws/chat`,
		rootPublicKey: Buffer.from(ctx.certs.root.pub),
		world,
		control,
		controlHttp,
		calls,
		context: ctx,
		async stop() {
			for (const conn of [...ctx.connections]) conn.close('emulator stopping')
			for (const ws of wss.clients) ws.terminate()
			await new Promise<void>(resolve => wss.close(() => resolve()))
			for (const socket of sockets) socket.destroy()
			await new Promise<void>((resolve, reject) => front.close(err => (err ? reject(err) : resolve())))
		}
	}
}

export type { AccountSpec } from './world/world.js'
export { DEFAULT_ACCOUNTS, World } from './world/world.js'
export type { Account, LinkedDevice, ReceivedMessage, SentMessage } from './world/types.js'
export { Control, ControlError } from './control/actions.js'
export type { CallControl, CallView } from './calls/control.js'

/**
 * One client WebSocket: Noise handshake, then encrypted binary nodes. Dispatches iqs by xmlns and other
 * stanzas by tag. Malformed input closes this connection (with a logged reason) and nothing else.
 */
import { randomBytes } from 'node:crypto'
import type { Duplex } from 'node:stream'
import { binaryNodeToString, decodeBinaryNode, encodeBinaryNode, type proto } from 'baileys'
import type { Logger } from 'pino'
import type { WebSocket } from 'ws'
import { type BinaryNode, IqError, node, S_WHATSAPP_NET } from './binary.js'
import type { EmulatorContext } from './context.js'
import { encodeFrame, FrameDecoder } from './transport/frames.js'
import { type NoiseTransport, ServerHandshake } from './transport/noise.js'
import type { DeviceConnection, LinkedDevice } from './world/types.js'
import { needsAck, requeueUnacked } from './handlers/delivery-acks.js'

type State = 'hello' | 'finish' | 'open' | 'closed'

let connectionCounter = 0

export class ClientConnection implements DeviceConnection {
	readonly id = `c${++connectionCounter}`
	readonly logger: Logger
	private state: State = 'hello'
	private readonly decoder = new FrameDecoder()
	private handshake: ServerHandshake | undefined
	private transport: NoiseTransport | undefined
	private queue: Promise<void> = Promise.resolve()
	private readonly pending = new Map<string, { resolve: (n: BinaryNode) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>()
	private tagCounter = 0
	private readonly tagPrefix = randomBytes(2).toString('hex')

	/** the client's static Noise key (after the handshake) */
	clientStatic: Buffer | undefined
	payload: proto.ClientPayload | undefined
	/** the linked device once logged in */
	device: LinkedDevice | undefined
	/** true once <success> was sent */
	loggedIn = false
	/** stanzas sent to the logged-in device and not acknowledged yet, oldest first (see delivery-acks.ts) */
	readonly unacked: BinaryNode[] = []
	closeReason: string | undefined
	readonly openedAt = Date.now()
	framesIn = 0
	framesOut = 0
	private corked = false

	constructor(
		private readonly ctx: EmulatorContext,
		private readonly ws: WebSocket,
		remote: string
	) {
		this.logger = ctx.logger.child({ conn: this.id })
		this.logger.debug({ remote }, 'client connected')
		ws.on('message', (data, isBinary) => {
			if (!isBinary) {
				this.fail('text websocket message')
				return
			}
			this.onData(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer))
		})
		ws.on('close', () => this.onClosed('socket closed by client'))
		ws.on('error', err => this.logger.warn({ err }, 'websocket error'))
	}

	get ready(): boolean {
		return this.state === 'open' && this.loggedIn
	}

	get isOpen(): boolean {
		return this.state === 'open'
	}

	nextTag(): string {
		return `${this.tagPrefix}.${++this.tagCounter}`
	}

	private onData(data: Buffer): void {
		if (this.state === 'closed') return
		let frames: Buffer[]
		try {
			frames = this.decoder.push(data)
		} catch (err) {
			this.fail(`framing error: ${(err as Error).message}`)
			return
		}
		for (const frame of frames) {
			this.framesIn++
			this.queue = this.queue.then(() => this.onFrame(frame))
		}
	}

	private async onFrame(frame: Buffer): Promise<void> {
		if (this.state === 'closed') return
		try {
			switch (this.state) {
				case 'hello': {
					this.handshake = new ServerHandshake(this.ctx.certs.serverStatic, this.ctx.certs.chain, this.decoder.header)
					this.sendRaw(this.handshake.serverHello(frame))
					this.state = 'finish'
					return
				}
				case 'finish': {
					const result = this.handshake!.finish(frame)
					this.handshake = undefined
					this.transport = result.transport
					this.clientStatic = result.clientStatic
					this.payload = result.payload
					this.state = 'open'
					if (result.payload.username !== undefined && result.payload.username !== null && Number(result.payload.username) > 0) {
						await this.ctx.login(this.ctx, this)
					} else if (result.payload.devicePairingData) {
						await this.ctx.register(this.ctx, this)
					} else {
						this.fail('client payload has neither login nor registration data')
					}
					return
				}
				case 'open': {
					let stanza: BinaryNode
					try {
						stanza = await decodeBinaryNode(this.transport!.decrypt(frame))
					} catch (err) {
						this.fail(`undecodable frame: ${(err as Error).message}`)
						return
					}
					if (this.logger.isLevelEnabled('trace')) this.logger.trace({ xml: binaryNodeToString(stanza) }, 'recv')
					await this.dispatch(stanza)
					return
				}
			}
		} catch (err) {
			this.fail(`${(err as Error).name}: ${(err as Error).message}`)
		}
	}

	private async dispatch(stanza: BinaryNode): Promise<void> {
		if (stanza.tag === 'iq') {
			await this.onIq(stanza)
			return
		}
		const handler = this.ctx.stanzas.get(stanza.tag)
		if (!handler) {
			this.logger.info({ tag: stanza.tag, attrs: stanza.attrs }, 'unhandled stanza ignored')
			return
		}
		try {
			await handler(this.ctx, this, stanza)
		} catch (err) {
			this.logger.error({ err, tag: stanza.tag, id: stanza.attrs.id }, 'stanza handler failed')
		}
	}

	private async onIq(iq: BinaryNode): Promise<void> {
		const { id, type, xmlns } = iq.attrs
		if (type === 'result' || type === 'error') {
			const waiter = id ? this.pending.get(id) : undefined
			if (waiter) {
				this.pending.delete(id!)
				clearTimeout(waiter.timer)
				waiter.resolve(iq)
			} else {
				this.logger.debug({ id, type }, 'iq response without a pending request')
			}
			return
		}
		if (!id) {
			this.fail('iq without id')
			return
		}
		const handler = xmlns ? this.ctx.iq.get(xmlns) : undefined
		if (!handler) {
			this.logger.info({ xmlns, type, child: Array.isArray(iq.content) ? iq.content[0]?.tag : undefined }, 'unknown iq answered with an empty result')
			this.sendIqResult(iq)
			return
		}
		try {
			const content = await handler(this.ctx, this, iq)
			this.sendIqResult(iq, content ?? undefined)
		} catch (err) {
			if (err instanceof IqError) {
				this.send(node('iq', { id, type: 'error', from: S_WHATSAPP_NET }, [node('error', { code: err.code, text: err.text })]))
			} else {
				this.logger.error({ err, xmlns }, 'iq handler failed')
				this.send(node('iq', { id, type: 'error', from: S_WHATSAPP_NET }, [node('error', { code: 500, text: 'internal-server-error' })]))
			}
		}
	}

	sendIqResult(iq: BinaryNode, content?: BinaryNode[]): void {
		this.send(node('iq', { id: iq.attrs.id, type: 'result', from: iq.attrs.to || S_WHATSAPP_NET }, content && content.length ? content : undefined))
	}

	/** sends an iq to the client and waits for its result */
	request(iq: BinaryNode, timeoutMs = 30_000): Promise<BinaryNode> {
		const id = iq.attrs.id ?? this.nextTag()
		iq.attrs.id = id
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => {
				this.pending.delete(id)
				reject(new Error(`iq ${id} timed out`))
			}, timeoutMs)
			this.pending.set(id, { resolve, reject, timer })
			this.send(iq)
		})
	}

	send(stanza: BinaryNode): void {
		if (this.state !== 'open' || !this.transport) {
			this.logger.debug({ tag: stanza.tag }, 'send on a closed connection dropped')
			return
		}
		if (this.logger.isLevelEnabled('trace')) this.logger.trace({ xml: binaryNodeToString(stanza) }, 'send')
		if (this.loggedIn && this.device && needsAck(stanza)) this.unacked.push(stanza)
		this.sendRaw(this.transport.encrypt(encodeBinaryNode(stanza)))
	}

	private sendRaw(payload: Buffer): void {
		this.framesOut++
		this.holdWritesUntilTurnEnds()
		this.ws.send(encodeFrame(payload))
	}

	/**
	 * The frames of one turn of the event loop (an ack and a receipt per message in a burst, to the
	 * same client) leave in one system call: the TCP socket is corked at the turn's first frame and
	 * uncorked in its check phase. Each frame stays its own WebSocket message.
	 */
	private holdWritesUntilTurnEnds(): void {
		if (this.corked) return
		const socket = this.transportSocket()
		if (!socket || socket.destroyed) return
		this.corked = true
		socket.cork()
		setImmediate(() => this.flushWrites())
	}

	/** Writes what this turn held back now (before a connection is dropped, say). */
	private flushWrites(): void {
		if (!this.corked) return
		this.corked = false
		const socket = this.transportSocket()
		if (socket && !socket.destroyed) socket.uncork()
	}

	private transportSocket(): Duplex | undefined {
		return (this.ws as unknown as { _socket?: Duplex })._socket
	}

	/** closes after an optional final stanza (e.g. <stream:error>) */
	close(reason: string, finalStanza?: BinaryNode): void {
		if (this.state === 'closed') return
		if (finalStanza) this.send(finalStanza)
		this.logger.debug({ reason }, 'closing connection')
		this.onClosed(reason)
		this.ws.close(1000)
	}

	/** protocol violation: log the reason and drop the connection */
	fail(reason: string): void {
		if (this.state === 'closed') return
		this.logger.warn({ reason, device: this.device ? `${this.device.account.phone}:${this.device.id}` : undefined }, 'closing connection: bad client input')
		this.onClosed(reason)
		this.flushWrites()
		this.ws.terminate()
	}

	private onClosed(reason: string): void {
		if (this.state === 'closed') return
		this.state = 'closed'
		this.closeReason = reason
		for (const [id, waiter] of this.pending) {
			clearTimeout(waiter.timer)
			waiter.reject(new Error(`connection closed before iq ${id} was answered`))
		}
		this.pending.clear()
		this.ctx.connections.delete(this)
		if (this.device?.connection === this) this.device.connection = undefined
		if (this.device) requeueUnacked(this.device, this.unacked.splice(0))
		this.logger.debug({ reason }, 'connection closed')
		this.onCloseHooks.forEach(fn => fn(reason))
	}

	readonly onCloseHooks: Array<(reason: string) => void> = []
}

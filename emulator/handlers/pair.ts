/**
 * QR pairing: an unregistered client gets <pair-device> refs; "scanning" its QR text with an emulated
 * phone account (control API) links it.
 */
import { randomBytes } from 'node:crypto'
import { node, S_WHATSAPP_NET } from '../binary.js'
import type { ClientConnection } from '../connection.js'
import type { EmulatorContext } from '../context.js'
import type { Account, LinkedDevice } from '../world/types.js'
import { completeLink, LinkError, readRegistration } from './link.js'

const REF_COUNT = 6

export interface PendingQr {
	connectionId: string
	refs: string[]
	/** base64 of the client's Noise and identity keys, as they appear in its QR text */
	noiseKeyB64: string
	identityKeyB64: string
	createdAt: number
}

export interface ParsedQr {
	ref: string
	noiseKey: Buffer
	identityKey: Buffer
	advSecret: Buffer
	platform: string
}

export function parseQr(qr: string): ParsedQr {
	const hash = qr.includes('#') ? qr.slice(qr.indexOf('#') + 1) : qr
	const parts = hash.split(',')
	if (parts.length < 4) throw new LinkError('QR text must be REF,NOISE,IDENTITY,ADV[,PLATFORM]')
	const [ref, noise, identity, adv, platform] = parts as [string, string, string, string, string | undefined]
	return {
		ref,
		noiseKey: Buffer.from(noise, 'base64'),
		identityKey: Buffer.from(identity, 'base64'),
		advSecret: Buffer.from(adv, 'base64'),
		platform: platform ?? ''
	}
}

export class QrPairing {
	private readonly byRef = new Map<string, ClientConnection>()
	private readonly byConn = new Map<ClientConnection, PendingQr>()

	constructor(private readonly ctx: EmulatorContext) {}

	/** called once an unregistered client finished the handshake */
	start(conn: ClientConnection): void {
		const reg = readRegistration(conn)
		const refs = Array.from({ length: REF_COUNT }, () => `2@${randomBytes(24).toString('base64')}`)
		const pending: PendingQr = {
			connectionId: conn.id,
			refs,
			noiseKeyB64: conn.clientStatic!.toString('base64'),
			identityKeyB64: reg.identityPub.toString('base64'),
			createdAt: Date.now()
		}
		this.byConn.set(conn, pending)
		for (const ref of refs) this.byRef.set(ref, conn)
		conn.onCloseHooks.push(() => this.forget(conn))
		// not awaited: this runs inside the connection's frame queue, which must go on to read the answer
		conn
			.request(
				node('iq', { from: S_WHATSAPP_NET, type: 'set', id: conn.nextTag() }, [
					node('pair-device', {}, refs.map(ref => node('ref', {}, Buffer.from(ref))))
				])
			)
			.then(
				reply => {
					if (reply.attrs.type !== 'result') conn.logger.warn({ attrs: reply.attrs }, 'client refused pair-device')
				},
				(err: Error) => conn.logger.debug({ err: err.message }, 'pair-device not acknowledged')
			)
	}

	list(): PendingQr[] {
		return [...this.byConn.values()]
	}

	private forget(conn: ClientConnection): void {
		const pending = this.byConn.get(conn)
		if (!pending) return
		this.byConn.delete(conn)
		for (const ref of pending.refs) this.byRef.delete(ref)
	}

	/** the emulated phone scans a QR text shown by a client */
	async scan(qr: string, account: Account): Promise<LinkedDevice> {
		const parsed = parseQr(qr)
		const conn = this.byRef.get(parsed.ref)
		if (!conn) throw new LinkError('unknown or expired QR ref')
		if (!conn.clientStatic?.equals(parsed.noiseKey)) throw new LinkError('QR noise key does not match the connection')
		const reg = readRegistration(conn)
		if (!reg.identityPub.equals(parsed.identityKey)) throw new LinkError('QR identity key does not match the client')
		if (parsed.advSecret.length !== 32) throw new LinkError('QR adv secret must be 32 bytes')
		this.forget(conn)
		return completeLink(this.ctx, conn, account, parsed.advSecret)
	}

	/** lets the code-pairing flow stop offering QR refs for a connection */
	drop(conn: ClientConnection): void {
		this.forget(conn)
	}
}

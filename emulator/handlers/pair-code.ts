/**
 * Pairing by code (Baileys `requestPairingCode`), `md` iq `link_code_companion_reg`:
 * companion_hello (client) -> the user "enters" the code on the phone (control API) -> notification
 * primary_hello -> companion_finish (client, carries the key bundle) -> pair-success as for QR.
 * The server never learns the code from the client: whoever enters it must know it.
 */
import { randomBytes } from 'node:crypto'
import { type BinaryNode, child, childBytes, IqError, node, parseJid, S_WHATSAPP_NET, text, unixNow } from '../binary.js'
import type { ClientConnection } from '../connection.js'
import type { EmulatorContext } from '../context.js'
import { aesCtr, aesGcmDecrypt, dh, hkdf, type KeyPair, pairingCodeKey, randomKeyPair } from '../crypto.js'
import type { Account, LinkedDevice } from '../world/types.js'
import { completeLink, LinkError, readRegistration } from './link.js'

export interface PendingCode {
	ref: string
	phone: string
	platformId: string
	platformDisplay: string
	createdAt: number
	connectionId: string
	/** set once the code was entered on the phone */
	entered: boolean
}

interface CodeState extends PendingCode {
	conn: ClientConnection
	wrappedCompanionEphemeral: Buffer
	companionEphemeral?: Buffer
	primaryEphemeral?: KeyPair
	account?: Account
	settle?: { resolve: (d: LinkedDevice) => void; reject: (e: Error) => void }
}

export class CodePairing {
	private readonly byRef = new Map<string, CodeState>()

	constructor(
		private readonly ctx: EmulatorContext,
		private readonly onCodeFlowStarted: (conn: ClientConnection) => void
	) {}

	list(): PendingCode[] {
		return [...this.byRef.values()].map(({ ref, phone, platformId, platformDisplay, createdAt, connectionId, entered }) => ({
			ref,
			phone,
			platformId,
			platformDisplay,
			createdAt,
			connectionId,
			entered
		}))
	}

	/** iq xmlns=md <link_code_companion_reg stage=...> */
	handleIq(conn: ClientConnection, reg: BinaryNode): BinaryNode[] | void {
		const stage = reg.attrs.stage
		if (stage === 'companion_hello') return this.hello(conn, reg)
		if (stage === 'companion_finish') return this.finish(conn, reg)
		throw new IqError(400, `unknown link_code stage ${stage}`)
	}

	private hello(conn: ClientConnection, reg: BinaryNode): BinaryNode[] {
		if (conn.loggedIn) throw new IqError(400, 'already registered')
		const phone = parseJid(reg.attrs.jid)?.user
		if (!phone || !this.ctx.world.getByPhone(phone)) throw new IqError(404, 'no such phone account')
		const wrapped = childBytes(reg, 'link_code_pairing_wrapped_companion_ephemeral_pub')
		if (!wrapped || wrapped.length !== 80) throw new IqError(400, 'bad wrapped companion ephemeral key')
		const authKey = childBytes(reg, 'companion_server_auth_key_pub')
		if (!authKey || !conn.clientStatic?.equals(authKey)) throw new IqError(400, 'companion_server_auth_key_pub does not match the noise key')
		readRegistration(conn)
		const ref = randomBytes(16).toString('base64url')
		const state: CodeState = {
			ref,
			phone,
			platformId: text(child(reg, 'companion_platform_id')) ?? '',
			platformDisplay: text(child(reg, 'companion_platform_display')) ?? '',
			createdAt: Date.now(),
			connectionId: conn.id,
			entered: false,
			conn,
			wrappedCompanionEphemeral: wrapped
		}
		for (const [oldRef, old] of this.byRef) if (old.conn === conn) this.byRef.delete(oldRef)
		this.byRef.set(ref, state)
		conn.onCloseHooks.push(reason => {
			if (this.byRef.get(ref) !== state) return
			this.byRef.delete(ref)
			state.settle?.reject(new LinkError(`client disconnected: ${reason}`))
		})
		this.onCodeFlowStarted(conn)
		conn.logger.info({ phone, ref }, 'pairing code requested')
		return [node('link_code_companion_reg', {}, [node('link_code_pairing_ref', {}, Buffer.from(ref))])]
	}

	/**
	 * The phone's user types `code`. Picks the pending request by ref, else the newest one for `phone`.
	 * Resolves once the device is linked.
	 */
	async enter(code: string, opts: { phone?: string; ref?: string }): Promise<LinkedDevice> {
		const normalized = code.replace(/[\s-]/g, '').toUpperCase()
		if (normalized.length !== 8) throw new LinkError('pairing code must have 8 characters')
		const state = opts.ref ? this.byRef.get(opts.ref) : this.newestFor(opts.phone)
		if (!state) throw new LinkError('no pending pairing-code request')
		if (state.entered) throw new LinkError('code already entered for this request')
		const account = this.ctx.world.getByPhone(state.phone)
		if (!account) throw new LinkError(`phone account ${state.phone} no longer exists`)
		const w = state.wrappedCompanionEphemeral
		const companionKey = await pairingCodeKey(normalized, w.subarray(0, 32))
		state.companionEphemeral = aesCtr(w.subarray(48, 80), companionKey, w.subarray(32, 48))
		state.primaryEphemeral = randomKeyPair()
		state.account = account
		state.entered = true
		const salt = randomBytes(32)
		const iv = randomBytes(16)
		const primaryKey = await pairingCodeKey(normalized, salt)
		const wrappedPrimary = Buffer.concat([salt, iv, aesCtr(state.primaryEphemeral.pub, primaryKey, iv)])
		const done = new Promise<LinkedDevice>((resolve, reject) => {
			state.settle = { resolve, reject }
		})
		state.conn.send(
			node('notification', { from: S_WHATSAPP_NET, type: 'link_code_companion_reg', id: state.conn.nextTag(), t: unixNow() }, [
				node('link_code_companion_reg', { stage: 'primary_hello' }, [
					node('link_code_pairing_wrapped_primary_ephemeral_pub', {}, wrappedPrimary),
					node('primary_identity_pub', {}, account.identity.pub),
					node('link_code_pairing_ref', {}, Buffer.from(state.ref))
				])
			])
		)
		return done
	}

	private newestFor(phone: string | undefined): CodeState | undefined {
		const candidates = [...this.byRef.values()].filter(s => !s.entered && (!phone || s.phone === phone.replace(/^\+/, '')))
		return candidates.sort((a, b) => b.createdAt - a.createdAt)[0]
	}

	private finish(conn: ClientConnection, reg: BinaryNode): BinaryNode[] {
		const ref = text(child(reg, 'link_code_pairing_ref'))
		const state = ref ? this.byRef.get(ref) : undefined
		if (!state || state.conn !== conn) throw new IqError(404, 'unknown pairing ref')
		if (!state.entered || !state.primaryEphemeral || !state.companionEphemeral || !state.account) {
			throw new IqError(400, 'code not entered yet')
		}
		this.byRef.delete(state.ref)
		const fail = (msg: string): never => {
			state.settle?.reject(new LinkError(msg))
			conn.logger.warn({ ref: state.ref }, msg)
			throw new IqError(401, msg)
		}
		const bundle = childBytes(reg, 'link_code_pairing_wrapped_key_bundle')
		const companionIdentity = childBytes(reg, 'companion_identity_public')
		if (!bundle || bundle.length < 32 + 12 + 16 + 96 || !companionIdentity) return fail('bad key bundle')
		const companionShared = dh(state.primaryEphemeral.priv, state.companionEphemeral)
		const key = hkdf(companionShared, 32, { salt: bundle.subarray(0, 32), info: 'link_code_pairing_key_bundle_encryption_key' })
		let plain: Buffer
		try {
			plain = aesGcmDecrypt(bundle.subarray(44), key, bundle.subarray(32, 44), Buffer.alloc(0))
		} catch {
			return fail('wrong pairing code (key bundle does not decrypt)')
		}
		const identityInBundle = plain.subarray(0, 32)
		const primaryInBundle = plain.subarray(32, 64)
		const random = plain.subarray(64, 96)
		const account = state.account
		if (!identityInBundle.equals(companionIdentity) || !primaryInBundle.equals(account.identity.pub)) {
			return fail('key bundle identities do not match')
		}
		if (!readRegistration(conn).identityPub.equals(companionIdentity)) return fail('companion identity differs from registration')
		const identityShared = dh(account.identity.priv, companionIdentity)
		const advSecret = hkdf(Buffer.concat([companionShared, identityShared, random]), 32, { info: 'adv_secret' })
		// link after the iq result went out (this handler runs inside the connection's frame queue)
		setImmediate(() => {
			completeLink(this.ctx, conn, account, advSecret).then(
				device => state.settle?.resolve(device),
				(err: Error) => {
					conn.logger.warn({ err: err.message }, 'code pairing link failed')
					state.settle?.reject(err)
				}
			)
		})
		return []
	}
}

/**
 * Small iq namespaces: keepalive ping, passive, AB props, privacy settings and privacy tokens,
 * blocklist, profile picture, status text, disappearing mode, stats, dirty bits.
 * Anything not registered anywhere gets an empty `type=result` from the connection (and a log line).
 */
import { type BinaryNode, bytes, child, children, IqError, node, parseJid, pnJid, unixNow } from '../binary.js'
import type { ClientConnection } from '../connection.js'
import type { EmulatorContext, IqHandler } from '../context.js'
import { randomBytes } from '../crypto.js'
import type { Account, LinkedDevice } from '../world/types.js'
import { userStateOf } from '../world/users.js'
import { newMessageId } from '../util.js'
import { deliver } from './login.js'
import { groupPictureIq } from './group-picture.js'

function me(conn: ClientConnection): Account {
	const account = conn.device?.account
	if (!account) throw new IqError(401, 'not-authorized')
	return account
}

export const pingIq: IqHandler = () => []

export const passiveIq: IqHandler = () => []

export const statsIq: IqHandler = () => []

export const dirtyIq: IqHandler = () => []

export const propsIq: IqHandler = (_ctx, _conn, iq) => {
	if (!child(iq, 'props')) return []
	return [
		node('props', { protocol: 1, hash: 'emulator-props-1', refresh: 3600 }, [
			node('prop', { config_code: 10518, config_value: 'false' }),
			node('prop', { config_code: 9666, config_value: 'false' }),
			node('prop', { config_code: 14303, config_value: 'false' })
		])
	]
}

export const privacyIq: IqHandler = (ctx, conn, iq) => {
	const account = me(conn)
	const tokens = child(iq, 'tokens')
	if (tokens) {
		// privacy (trusted-contact) tokens: issue one per requested jid
		const requested = children(tokens, 'token')
		ctx.stats.privacyTokensIssued += requested.length
		return [
			node(
				'tokens',
				{},
				requested.map(t =>
					node('token', { jid: t.attrs.jid, t: t.attrs.t ?? unixNow(), type: 'trusted_contact' }, randomBytes(16))
				)
			)
		]
	}
	const privacy = child(iq, 'privacy')
	if (iq.attrs.type === 'set' && privacy) {
		for (const c of children(privacy, 'category')) {
			if (c.attrs.name && c.attrs.value) account.privacy[c.attrs.name] = c.attrs.value
		}
		return []
	}
	if (iq.attrs.type === 'get') {
		return [node('privacy', {}, Object.entries(account.privacy).map(([name, value]) => node('category', { name, value })))]
	}
	ctx.logger.debug({ attrs: iq.attrs }, 'privacy iq without known child')
	return []
}

export const blocklistIq: IqHandler = (ctx, conn, iq) => {
	const account = me(conn)
	if (iq.attrs.type === 'get') {
		return [node('list', {}, [...account.blocklist].map(jid => node('item', { jid })))]
	}
	const item = child(iq, 'item')
	if (!item?.attrs.jid) throw new IqError(400, 'bad-request')
	// stored canonically as the PN jid of the account (clients may address it by LID or PN)
	const target = ctx.world.resolveJid(item.attrs.pn_jid ?? item.attrs.jid)?.account
	const canonical = target ? `${target.phone}@s.whatsapp.net` : (item.attrs.pn_jid ?? item.attrs.jid)
	const action = item.attrs.action === 'block' ? 'block' : 'unblock'
	if (action === 'block') account.blocklist.add(canonical)
	else account.blocklist.delete(canonical)
	notifyBlocklist(ctx, account, target ? `${target.lid}@lid` : item.attrs.jid, action, conn.device)
	return []
}

/**
 * tells the account's other linked devices that its blocklist changed (`notification
 * type=account_sync` with a `blocklist` child, as WhatsApp does for a change made elsewhere)
 */
export function notifyBlocklist(ctx: EmulatorContext, account: Account, jid: string, action: 'block' | 'unblock', except?: LinkedDevice): void {
	for (const device of ctx.world.linkedDevices(account)) {
		if (device === except) continue
		deliver(
			device,
			node('notification', { from: pnJid(account.phone), type: 'account_sync', id: newMessageId(), t: unixNow() }, [
				node('blocklist', {}, [node('item', { jid, action })])
			])
		)
	}
}

export const statusIq: IqHandler = (_ctx, conn, iq) => {
	const account = me(conn)
	const status = child(iq, 'status')
	if (iq.attrs.type === 'set' && status) account.statusText = bytes(status)?.toString('utf8') ?? ''
	return []
}

export const profilePictureIq: IqHandler = (ctx, conn, iq) => {
	const account = me(conn)
	const targetJid = iq.attrs.target
	if (targetJid?.endsWith('@g.us')) return groupPictureIq(ctx, account, iq)
	if (iq.attrs.type === 'set') {
		const target = targetJid ? ctx.world.resolveJid(targetJid)?.account : account
		if (!target) throw new IqError(404, 'item-not-found')
		if (target !== account) throw new IqError(403, 'forbidden')
		const pic = child(iq, 'picture')
		const state = userStateOf(target)
		target.picture = pic ? bytes(pic) : undefined
		state.pictureId = target.picture ? String(unixNow() * 1000 + (Number(state.pictureId ?? 0) % 1000) + 1) : undefined
		return state.pictureId ? [node('picture', { id: state.pictureId })] : []
	}
	const target = targetJid ? ctx.world.resolveJid(targetJid)?.account : account
	if (!target?.picture) throw new IqError(404, 'item-not-found')
	const id = userStateOf(target).pictureId ?? String(target.createdAt)
	const type = child(iq, 'picture')?.attrs.type ?? 'preview'
	return [node('picture', { id, type, url: `${ctx.httpBase()}/pp/${target.phone}.jpg?id=${id}&type=${type}`, direct_path: `/pp/${target.phone}.jpg` })]
}

export const disappearingIq: IqHandler = () => []

/** md: remove-companion-device (logout) and link_code_companion_reg (pairing code) */
export function makeMdIq(
	handlers: Record<string, (ctx: EmulatorContext, conn: ClientConnection, iq: BinaryNode, childNode: BinaryNode) => BinaryNode[] | void>
): IqHandler {
	return (ctx, conn, iq) => {
		const first = Array.isArray(iq.content) ? iq.content[0] : undefined
		const handler = first ? handlers[first.tag] : undefined
		if (!first || !handler) {
			ctx.logger.info({ child: first?.tag }, 'unknown md iq answered with an empty result')
			return []
		}
		return handler(ctx, conn, iq, first)
	}
}

/** resolves a jid to an account or throws 404 */
export function accountOf(ctx: EmulatorContext, jid: string | undefined): Account {
	const p = parseJid(jid)
	const account = p ? ctx.world.resolveJid(jid)?.account : undefined
	if (!account) throw new IqError(404, 'item-not-found')
	return account
}

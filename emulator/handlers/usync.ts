/**
 * iq xmlns="usync": devices (device lists with key indexes), lid, contact (onWhatsApp), status,
 * picture (the current picture's id), business (the verified name certificate of a business
 * account) and disappearing_mode protocols for PN, LID or phone-number users. A user asked for by
 * LID is answered with its phone-number JID in `pn_jid` (how the emulator tells a client the
 * number behind a LID it met).
 */
import { proto } from 'baileys'
import { type BinaryNode, allChildren, child, children, IqError, node, parseJid, pnJid, text } from '../binary.js'
import type { IqHandler } from '../context.js'
import type { Account } from '../world/types.js'
import { userStateOf } from '../world/users.js'
import type { World } from '../world/world.js'

/** a VerifiedNameCertificate as WhatsApp hands it out (details serialized; the signature is the emulator's) */
function verifiedNameCertificate(account: Account, name: string): Buffer {
	const details = proto.VerifiedNameCertificate.Details.encode({ serial: Number(account.phone.slice(-6)), issuer: 'smb:wa', verifiedName: name }).finish()
	return Buffer.from(proto.VerifiedNameCertificate.encode({ details, signature: Buffer.alloc(64) }).finish())
}

interface Target {
	jid: string
	account: Account | undefined
	byLid: boolean
	/** phone number as the client wrote it (contact protocol) */
	phoneQuery?: string
}

function resolveUser(world: World, user: BinaryNode): Target | undefined {
	if (user.attrs.jid) {
		const p = parseJid(user.attrs.jid)
		if (!p) return undefined
		const jid = p.server === 'lid' ? `${p.user}@lid` : `${p.user}@s.whatsapp.net`
		return { jid, account: world.resolveJid(jid)?.account, byLid: p.server === 'lid' }
	}
	const contact = text(child(user, 'contact'))
	if (contact) {
		const phone = contact.replace(/[^\d]/g, '')
		return { jid: `${phone}@s.whatsapp.net`, account: world.getByPhone(phone), byLid: false, phoneQuery: contact }
	}
	return undefined
}

function devicesNode(world: World, account: Account | undefined): BinaryNode {
	const list: BinaryNode[] = []
	if (account) {
		list.push(node('device', { id: 0 }))
		for (const d of world.linkedDevices(account)) list.push(node('device', { id: d.id, 'key-index': d.keyIndex }))
	}
	return node('devices', {}, [node('device-list', {}, list)])
}

export const usyncIq: IqHandler = (ctx, _conn, iq) => {
	const usync = child(iq, 'usync')
	if (!usync) throw new IqError(400, 'bad-request')
	const protocols = allChildren(child(usync, 'query')).map(q => q.tag)
	const users = children(child(usync, 'list'), 'user')
	if (protocols.includes('contact')) ctx.stats.usyncContactQueries++
	const out: BinaryNode[] = []
	for (const user of users) {
		const target = resolveUser(ctx.world, user)
		if (!target) continue
		const { account } = target
		const content: BinaryNode[] = []
		for (const protocol of protocols) {
			switch (protocol) {
				case 'devices':
					content.push(devicesNode(ctx.world, account))
					break
				case 'lid':
					if (account && !target.byLid) content.push(node('lid', { val: `${account.lid}@lid` }))
					break
				case 'contact':
					content.push(node('contact', { type: account ? 'in' : 'out' }, target.phoneQuery))
					break
				case 'status':
					content.push(
						account
							? node('status', { t: Math.floor(account.createdAt / 1000) }, Buffer.from(account.statusText))
							: node('status', { code: 404 })
					)
					break
				case 'picture': {
					const id = account ? userStateOf(account).pictureId : undefined
					content.push(id ? node('picture', { id }) : node('picture', { code: 404 }))
					break
				}
				case 'business': {
					const name = account ? userStateOf(account).businessName : undefined
					if (account && name) content.push(node('business', {}, [node('verified_name', {}, verifiedNameCertificate(account, name))]))
					break
				}
				case 'disappearing_mode':
					content.push(node('disappearing_mode', { duration: 0, t: 0 }))
					break
				default:
					break
			}
		}
		const pn = target.byLid && account ? pnJid(account.phone) : undefined
		out.push(node('user', { jid: target.jid, pn_jid: pn }, content))
	}
	return [
		node('usync', { sid: usync.attrs.sid, mode: usync.attrs.mode ?? 'query', last: 'true', index: '0', context: usync.attrs.context }, [
			node('result', {}, protocols.map(p => node(p, {}))),
			node('list', {}, out)
		])
	]
}

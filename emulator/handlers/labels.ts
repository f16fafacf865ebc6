/**
 * WhatsApp Business labels as the phone holds them: app-state mutations in the `regular`
 * collection — label_edit (index [label_edit, id]: name, colour, deleted), label_jid ([label_jid,
 * id, chat]) and label_message ([label_message, id, chat, message id, "0", "0"]) with
 * labelAssociationAction { labeled }. Linked devices sync them; the phone can make them itself
 * (control API), which reaches the linked devices as a patch they resync after a server_sync.
 */
import { pnJid } from '../binary.js'
import type { EmulatorContext } from '../context.js'
import { encodePhonePatch, type PhoneMutation } from '../appstate/encode.js'
import { appStateOf, collectionOf, recordMutations, storePatch } from '../appstate/store.js'
import type { Account } from '../world/types.js'
import { notifyServerSync } from './appstate.js'

export const LABEL_COLLECTION = 'regular'

export interface PhoneLabel {
	id: string
	name?: string
	color?: number
	predefinedId?: number
	deleted: boolean
}

export interface PhoneLabels {
	labels: PhoneLabel[]
	/** chats each label is on */
	chats: Array<{ labelId: string; chat: string }>
	messages: Array<{ labelId: string; chat: string; messageId: string }>
}

/** the labels the phone's app state holds now (every synced and own label mutation, in order) */
export function phoneLabels(account: Account): PhoneLabels {
	const labels = new Map<string, PhoneLabel>()
	const chats = new Map<string, { labelId: string; chat: string }>()
	const messages = new Map<string, { labelId: string; chat: string; messageId: string }>()
	for (const m of appStateOf(account).mutations) {
		const [, id = '', chat = '', messageId = ''] = m.index
		if (m.action === 'label_edit') {
			if (m.operation === 'remove') labels.delete(id)
			else labels.set(id, { id, name: m.value.name as string | undefined, color: m.value.color as number | undefined, predefinedId: m.value.predefinedId as number | undefined, deleted: Boolean(m.value.deleted) })
		} else if (m.action === 'label_jid' || m.action === 'label_message') {
			const key = m.index.slice(1).join(' ')
			const labeled = m.operation === 'set' && Boolean(m.value.labeled)
			if (m.action === 'label_jid') {
				if (labeled) chats.set(key, { labelId: id, chat })
				else chats.delete(key)
			} else if (labeled) messages.set(key, { labelId: id, chat, messageId })
			else messages.delete(key)
		}
	}
	return { labels: [...labels.values()], chats: [...chats.values()], messages: [...messages.values()] }
}

/** the phone makes app-state mutations itself: one patch, recorded, stored and announced to the linked devices */
export function phoneAppStatePatch(ctx: EmulatorContext, account: Account, collectionName: string, mutations: PhoneMutation[]): number {
	const state = appStateOf(account)
	const collection = collectionOf(state, collectionName)
	const version = collection.version + 1
	const patch = encodePhonePatch(collectionName, version, mutations, state.key, collection.integrity)
	recordMutations(
		state,
		collectionName,
		version,
		pnJid(account.phone, 0),
		mutations.map(m => ({ ...m, indexMac: Buffer.alloc(0), valueMac: Buffer.alloc(0) }))
	)
	storePatch(collection, patch, version)
	notifyServerSync(account, collectionName, version)
	ctx.logger.info({ phone: account.phone, collection: collectionName, version, mutations: mutations.map(m => m.index[0]) }, 'the phone pushed an app-state patch')
	return version
}

export type PhoneLabelChange =
	| { kind: 'edit'; id: string; name: string; color?: number; deleted?: boolean }
	| { kind: 'chat'; labelId: string; chat: string; labeled: boolean }
	| { kind: 'message'; labelId: string; chat: string; messageId: string; labeled: boolean }

export function phoneLabelChange(ctx: EmulatorContext, account: Account, change: PhoneLabelChange): number {
	const timestamp = Date.now()
	const mutation: PhoneMutation =
		change.kind === 'edit'
			? { operation: 'set', index: ['label_edit', change.id], value: { timestamp, labelEditAction: { name: change.name, color: change.color ?? 0, deleted: Boolean(change.deleted) } }, apiVersion: 3 }
			: change.kind === 'chat'
				? { operation: 'set', index: ['label_jid', change.labelId, change.chat], value: { timestamp, labelAssociationAction: { labeled: change.labeled } }, apiVersion: 3 }
				: { operation: 'set', index: ['label_message', change.labelId, change.chat, change.messageId, '0', '0'], value: { timestamp, labelAssociationAction: { labeled: change.labeled } }, apiVersion: 3 }
	return phoneAppStatePatch(ctx, account, LABEL_COLLECTION, [mutation])
}

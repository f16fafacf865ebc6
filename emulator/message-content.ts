/** Reading proto.Message content: kind, text, quoted id, stanza type. */
import { proto } from 'baileys'

const MEDIA_KINDS = new Set(['imageMessage', 'videoMessage', 'audioMessage', 'documentMessage', 'stickerMessage', 'ptvMessage'])

/** unwraps ephemeral / view-once / device-sent / document-with-caption wrappers */
export function unwrap(message: proto.IMessage): proto.IMessage {
	let m: proto.IMessage = message
	for (let i = 0; i < 5; i++) {
		const inner =
			m.deviceSentMessage?.message ??
			m.ephemeralMessage?.message ??
			m.viewOnceMessage?.message ??
			m.viewOnceMessageV2?.message ??
			m.documentWithCaptionMessage?.message
		if (!inner) return m
		m = inner
	}
	return m
}

export function contentType(message: proto.IMessage): string {
	const m = unwrap(message)
	const keys = Object.keys(m).filter(k => k !== 'messageContextInfo' && k !== 'senderKeyDistributionMessage' && m[k as keyof proto.IMessage] != null)
	return keys[0] ?? (message.senderKeyDistributionMessage ? 'senderKeyDistributionMessage' : 'unknown')
}

export function textOf(message: proto.IMessage): string | undefined {
	const m = unwrap(message)
	return (
		m.conversation ??
		m.extendedTextMessage?.text ??
		m.imageMessage?.caption ??
		m.videoMessage?.caption ??
		m.documentMessage?.caption ??
		m.reactionMessage?.text ??
		m.pollCreationMessage?.name ??
		m.pollCreationMessageV3?.name ??
		undefined
	) ?? undefined
}

export function quotedIdOf(message: proto.IMessage): string | undefined {
	const m = unwrap(message)
	const ctx =
		m.extendedTextMessage?.contextInfo ??
		m.imageMessage?.contextInfo ??
		m.videoMessage?.contextInfo ??
		m.documentMessage?.contextInfo ??
		m.audioMessage?.contextInfo ??
		undefined
	return ctx?.stanzaId ?? m.reactionMessage?.key?.id ?? undefined
}

/** the `type` attribute of a <message> stanza */
export function stanzaTypeOf(message: proto.IMessage): string {
	const kind = contentType(message)
	if (kind === 'reactionMessage') return 'reaction'
	if (kind.startsWith('pollCreationMessage') || kind === 'pollUpdateMessage') return 'poll'
	if (MEDIA_KINDS.has(kind)) return 'media'
	return 'text'
}

export function messageToJson(message: proto.IMessage): Record<string, unknown> {
	return proto.Message.toObject(proto.Message.fromObject(message), { bytes: String, longs: String, enums: String, defaults: false }) as Record<string, unknown>
}

/** the fields of a ReceivedMessage that come from the decrypted content itself */
export function contentFields(message: proto.IMessage): { contentType: string; text?: string; quotedId?: string; message: Record<string, unknown> } {
	return { contentType: contentType(message), text: textOf(message), quotedId: quotedIdOf(message), message: messageToJson(message) }
}

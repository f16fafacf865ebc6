/** Media sent by emulated phones, and decryption of media linked devices sent to them. */
import type { MediaType, proto } from 'baileys'
import { sha256 } from '../crypto.js'
import type { ReceivedMessage } from '../world/types.js'
import { decryptMedia, encryptMedia, MediaError, type MediaStore } from './store.js'

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker'

export interface MediaInput {
	kind: MediaKind
	data: Buffer
	mimetype?: string
	caption?: string
	fileName?: string
}

const DEFAULT_MIME: Record<MediaKind, string> = {
	image: 'image/jpeg',
	video: 'video/mp4',
	audio: 'audio/ogg; codecs=opus',
	document: 'application/octet-stream',
	sticker: 'image/webp'
}

/**
 * Encrypts and stores `input`, returning the proto.Message. The URL is plain http on the emulator and
 * there is no directPath, so Baileys downloads from the URL as is (directPath downloads are https-only).
 */
export async function buildMediaMessage(media: MediaStore, httpBase: string, input: MediaInput): Promise<proto.IMessage> {
	const enc = await encryptMedia(input.data, input.kind)
	const { directPath } = media.put(enc.body, input.kind)
	const common = {
		url: `${httpBase}${directPath}.enc`,
		mimetype: input.mimetype ?? DEFAULT_MIME[input.kind],
		mediaKey: enc.mediaKey,
		fileSha256: enc.fileSha256,
		fileEncSha256: enc.fileEncSha256,
		fileLength: enc.fileLength,
		mediaKeyTimestamp: Math.floor(Date.now() / 1000)
	}
	switch (input.kind) {
		case 'image':
			return { imageMessage: { ...common, caption: input.caption } }
		case 'video':
			return { videoMessage: { ...common, caption: input.caption } }
		case 'audio':
			return { audioMessage: { ...common } }
		case 'sticker':
			return { stickerMessage: { ...common } }
		case 'document':
			return { documentMessage: { ...common, caption: input.caption, fileName: input.fileName ?? 'file' } }
	}
}

interface MediaFields {
	url?: string
	directPath?: string
	mediaKey?: string
	mimetype?: string
	fileSha256?: string
}

/** decrypts the media of a message an emulated phone received; returns the plaintext and its mimetype */
export async function decryptReceivedMedia(media: MediaStore, message: ReceivedMessage): Promise<{ data: Buffer; mimetype: string }> {
	const kind = message.contentType.replace(/Message$/, '') as MediaType
	const fields = message.message[message.contentType] as MediaFields | undefined
	if (!fields?.mediaKey) throw new MediaError(`message ${message.id} has no media`)
	const stored = media.resolve(fields.directPath) ?? media.resolve(fields.url)
	if (!stored) throw new MediaError(`media of ${message.id} was not uploaded to this emulator`)
	const data = await decryptMedia(stored.body, Buffer.from(fields.mediaKey, 'base64'), kind)
	if (fields.fileSha256 && !Buffer.from(fields.fileSha256, 'base64').equals(sha256(data))) {
		throw new MediaError('decrypted media does not match fileSha256')
	}
	return { data, mimetype: fields.mimetype ?? 'application/octet-stream' }
}

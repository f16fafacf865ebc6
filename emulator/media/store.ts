/**
 * Media: the `w:m` media_conn iq points clients at the emulator itself; encrypted uploads are stored
 * and served back (with Range support); emulated phones can encrypt media they send and decrypt what
 * linked devices sent them (WhatsApp media encryption: AES-256-CBC + truncated HMAC-SHA256).
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { getMediaKeys, type MediaType } from 'baileys'
import { node } from '../binary.js'
import type { IqHandler } from '../context.js'
import { aesCbcDecrypt, aesCbcEncrypt, hmacSha256, sha256 } from '../crypto.js'

const UPLOAD_PATHS = /^\/(mms|product|pps)\/([a-z-]+)\/([A-Za-z0-9_-]+={0,2})$/
const DOWNLOAD_PATH = /^\/(v\/t62\.\d+-\d+|m)\/([A-Za-z0-9_-]+)(\.enc)?$/
const MAX_UPLOAD = 64 << 20

export interface StoredMedia {
	id: string
	/** encrypted body as uploaded (ciphertext + 10-byte mac) */
	body: Buffer
	kind: string
	createdAt: number
}

export class MediaError extends Error {}

export class MediaStore {
	private readonly items = new Map<string, StoredMedia>()
	readonly authToken = randomBytes(24).toString('base64url')

	constructor(private readonly publicHost: () => string) {}

	/** iq xmlns="w:m" <media_conn/> */
	readonly mediaConnIq: IqHandler = () => [
		node('media_conn', { auth: this.authToken, ttl: 3600, auth_ttl: 21600, max_buckets: 12 }, [
			node('host', { hostname: this.publicHost(), maxContentLengthBytes: MAX_UPLOAD })
		])
	]

	clear(): void {
		this.items.clear()
	}

	get(id: string): StoredMedia | undefined {
		return this.items.get(id)
	}

	/** stores an encrypted body; returns the direct path under which it is served */
	put(body: Buffer, kind: string): { id: string; directPath: string } {
		const id = randomBytes(16).toString('base64url')
		this.items.set(id, { id, body, kind, createdAt: Date.now() })
		return { id, directPath: `/v/t62.7118-24/${id}` }
	}

	/** resolves a direct path or URL to stored media */
	resolve(pathOrUrl: string | undefined | null): StoredMedia | undefined {
		if (!pathOrUrl) return undefined
		const path = pathOrUrl.includes('://') ? new URL(pathOrUrl).pathname : pathOrUrl.split('?')[0]!
		const m = DOWNLOAD_PATH.exec(path)
		return m ? this.items.get(m[2]!) : undefined
	}

	/** HTTP(S) handler for uploads and downloads; false if the path is not a media path */
	async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
		const url = new URL(req.url ?? '/', 'http://localhost')
		const upload = UPLOAD_PATHS.exec(url.pathname)
		if (upload && req.method === 'POST') {
			if (url.searchParams.get('auth') !== this.authToken) return reply(res, 401, { error: 'bad auth' })
			const body = await readBody(req)
			const { directPath, id } = this.put(body, upload[2]!)
			reply(res, 200, { url: `https://${this.publicHost()}${directPath}.enc`, direct_path: directPath, handle: id })
			return true
		}
		const download = DOWNLOAD_PATH.exec(url.pathname)
		if (download && (req.method === 'GET' || req.method === 'HEAD')) {
			const item = this.items.get(download[2]!)
			if (!item) return reply(res, 404, { error: 'not found' })
			const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '')
			let body = item.body
			let status = 200
			const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes' }
			if (range) {
				const start = Number(range[1])
				const end = range[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1
				headers['content-range'] = `bytes ${start}-${end}/${body.length}`
				body = body.subarray(start, end + 1)
				status = 206
			}
			headers['content-length'] = body.length
			res.writeHead(status, headers)
			res.end(req.method === 'HEAD' ? undefined : body)
			return true
		}
		return false
	}
}

function reply(res: ServerResponse, status: number, body: unknown): true {
	const json = JSON.stringify(body)
	res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) })
	res.end(json)
	return true
}

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = []
		let size = 0
		req.on('data', (c: Buffer) => {
			size += c.length
			if (size > MAX_UPLOAD) {
				req.destroy()
				reject(new MediaError('upload too large'))
				return
			}
			chunks.push(c)
		})
		req.on('end', () => resolve(Buffer.concat(chunks)))
		req.on('error', reject)
	})
}

export interface EncryptedMedia {
	mediaKey: Buffer
	body: Buffer
	fileSha256: Buffer
	fileEncSha256: Buffer
	fileLength: number
}

async function mediaKeys(mediaKey: Uint8Array, type: MediaType): Promise<{ iv: Uint8Array; cipherKey: Uint8Array; macKey: Uint8Array }> {
	const { iv, cipherKey, macKey } = await getMediaKeys(mediaKey, type)
	if (!macKey) throw new MediaError('no mac key derived')
	return { iv, cipherKey, macKey }
}

export async function encryptMedia(data: Buffer, type: MediaType): Promise<EncryptedMedia> {
	const mediaKey = randomBytes(32)
	const { iv, cipherKey, macKey } = await mediaKeys(mediaKey, type)
	const enc = aesCbcEncrypt(data, cipherKey, iv)
	const mac = hmacSha256(Buffer.concat([iv, enc]), macKey).subarray(0, 10)
	const body = Buffer.concat([enc, mac])
	return { mediaKey, body, fileSha256: sha256(data), fileEncSha256: sha256(body), fileLength: data.length }
}

export async function decryptMedia(body: Buffer, mediaKey: Uint8Array, type: MediaType): Promise<Buffer> {
	const { iv, cipherKey, macKey } = await mediaKeys(mediaKey, type)
	const enc = body.subarray(0, body.length - 10)
	const mac = hmacSha256(Buffer.concat([iv, enc]), macKey).subarray(0, 10)
	if (!mac.equals(body.subarray(body.length - 10))) throw new MediaError('media MAC mismatch')
	return aesCbcDecrypt(enc, cipherKey, iv)
}

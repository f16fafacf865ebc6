/**
 * Wire framing of the WhatsApp Web socket: the client's first bytes are the intro header
 * (`WA 06 03`, optionally preceded by `ED 00 01` + 3-byte length + routing info), then every frame is a
 * 3-byte big-endian length followed by the payload. The server never sends an intro header.
 */
export class FrameError extends Error {
	override name = 'FrameError'
}

export const WA_HEADER = Buffer.from([87, 65, 6, 3])
const MAX_FRAME = (1 << 24) - 1

export class FrameDecoder {
	private buffer: Buffer = Buffer.alloc(0)
	private introDone = false
	/** routing info the client echoed back (`ED` prefix), if any */
	routingInfo: Buffer | undefined

	/** Feeds received bytes; returns the complete frames. Throws FrameError on malformed input. */
	push(chunk: Buffer): Buffer[] {
		this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk
		if (!this.introDone && !this.readIntro()) {
			return []
		}
		const frames: Buffer[] = []
		while (this.buffer.length >= 3) {
			const size = (this.buffer[0]! << 16) | (this.buffer[1]! << 8) | this.buffer[2]!
			if (size === 0) {
				throw new FrameError('empty frame')
			}
			if (this.buffer.length < size + 3) {
				break
			}
			frames.push(this.buffer.subarray(3, size + 3))
			this.buffer = this.buffer.subarray(size + 3)
		}
		return frames
	}

	private readIntro(): boolean {
		let offset = 0
		if (this.buffer.length >= 1 && this.buffer[0] === 0x45 /* E */) {
			if (this.buffer.length < 7) return false
			if (this.buffer[1] !== 0x44 /* D */ || this.buffer[2] !== 0 || this.buffer[3] !== 1) {
				throw new FrameError('bad edge routing header')
			}
			const len = (this.buffer[4]! << 16) | this.buffer.readUInt16BE(5)
			if (this.buffer.length < 7 + len) return false
			this.routingInfo = Buffer.from(this.buffer.subarray(7, 7 + len))
			offset = 7 + len
		}
		if (this.buffer.length < offset + WA_HEADER.length) {
			const partial = this.buffer.subarray(offset)
			if (!WA_HEADER.subarray(0, partial.length).equals(partial)) {
				throw new FrameError(`bad intro header ${partial.toString('hex')}`)
			}
			return false
		}
		const header = this.buffer.subarray(offset, offset + WA_HEADER.length)
		if (header[0] !== WA_HEADER[0] || header[1] !== WA_HEADER[1]) {
			throw new FrameError(`bad intro header ${header.toString('hex')}`)
		}
		this.header = Buffer.from(header)
		this.buffer = this.buffer.subarray(offset + WA_HEADER.length)
		this.introDone = true
		return true
	}

	/** the 4-byte WA header actually sent (mixed into the Noise hash) */
	header: Buffer = WA_HEADER
}

export function encodeFrame(payload: Uint8Array): Buffer {
	if (payload.length > MAX_FRAME) {
		throw new FrameError(`frame too large: ${payload.length}`)
	}
	const frame = Buffer.allocUnsafe(payload.length + 3)
	frame[0] = (payload.length >>> 16) & 0xff
	frame[1] = (payload.length >>> 8) & 0xff
	frame[2] = payload.length & 0xff
	frame.set(payload, 3)
	return frame
}

/**
 * The emulated phone's side of a call's audio: standard WebRTC (werift, Opus) with the linked
 * device, answering the SDP offer the device sends in a `<transport>` step. The phone plays tones
 * or PCM into the call (20 ms frames, 48 kHz mono) and keeps what it hears.
 */
import OpusScript from 'opusscript'
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket, useOPUS, type RTCRtpTransceiver } from 'werift'

const RATE = 48_000
const FRAME = 960
/** at most this much heard audio is kept (the oldest goes first) */
const HEARD_MAX = RATE * 120

export class PhoneAudio {
	private readonly pc = new RTCPeerConnection({ iceServers: [], iceAdditionalHostAddresses: ['127.0.0.1'], codecs: { audio: [useOPUS()] } })
	private readonly track = new MediaStreamTrack({ kind: 'audio' })
	private readonly encoder = new OpusScript(RATE, 1, OpusScript.Application.VOIP)
	private readonly decoder = new OpusScript(RATE, 1, OpusScript.Application.VOIP)
	private readonly tracks = new Set<MediaStreamTrack>()
	private heardChunks: Int16Array[] = []
	private heardSamples = 0
	private outgoing: Int16Array = new Int16Array(0)
	private outgoingAt = 0
	private timer?: NodeJS.Timeout
	private sequence = 0
	private timestamp = 0
	private closed = false
	connected = false

	constructor() {
		this.pc.connectionStateChange.subscribe(state => {
			if (state === 'connected') this.connected = true
		})
		this.pc.onTransceiverAdded.subscribe(t => this.listen(t))
	}

	/** answers the device's offer */
	async answer(offer: string): Promise<string> {
		this.listen(this.pc.addTransceiver(this.track, { direction: 'sendrecv' }))
		await this.pc.setRemoteDescription({ type: 'offer', sdp: offer })
		await this.pc.setLocalDescription(await this.pc.createAnswer())
		this.timer = setInterval(() => this.sendFrame(), 20)
		this.timer.unref()
		return this.pc.localDescription!.sdp
	}

	/** plays PCM (48 kHz mono) into the call, after what is playing */
	play(samples: Int16Array): void {
		const rest = this.outgoing.subarray(this.outgoingAt)
		const next = new Int16Array(rest.length + samples.length)
		next.set(rest)
		next.set(samples, rest.length)
		this.outgoing = next
		this.outgoingAt = 0
	}

	/** plays a sine tone into the call */
	tone(frequency: number, seconds: number, amplitude = 0.5): void {
		const n = Math.round(RATE * seconds)
		const out = new Int16Array(n)
		for (let i = 0; i < n; i++) out[i] = Math.round(Math.sin((2 * Math.PI * frequency * i) / RATE) * amplitude * 32767)
		this.play(out)
	}

	/** everything the phone heard so far (48 kHz mono) */
	heard(): Int16Array {
		const all = new Int16Array(this.heardSamples)
		let at = 0
		for (const chunk of this.heardChunks) {
			all.set(chunk, at)
			at += chunk.length
		}
		return all
	}

	async close(): Promise<void> {
		if (this.closed) return
		this.closed = true
		clearInterval(this.timer)
		await this.pc.close()
		this.encoder.delete()
		this.decoder.delete()
	}

	private listen(transceiver: RTCRtpTransceiver): void {
		transceiver.onTrack.subscribe(track => {
			if (this.tracks.has(track)) return
			this.tracks.add(track)
			track.onReceiveRtp.subscribe(rtp => {
				if (this.closed || !rtp.payload.length) return
				const pcm = Buffer.from(this.decoder.decode(rtp.payload))
				const samples = new Int16Array(pcm.length / 2)
				for (let i = 0; i < samples.length; i++) samples[i] = pcm.readInt16LE(i * 2)
				this.heardChunks.push(samples)
				this.heardSamples += samples.length
				while (this.heardSamples > HEARD_MAX) this.heardSamples -= this.heardChunks.shift()!.length
			})
		})
	}

	/** every 20 ms: the next frame of what plays, or nothing when nothing does */
	private sendFrame(): void {
		if (this.closed || !this.connected || this.outgoingAt >= this.outgoing.length) return
		const frame = new Int16Array(FRAME)
		frame.set(this.outgoing.subarray(this.outgoingAt, this.outgoingAt + FRAME))
		this.outgoingAt += FRAME
		const pcm = Buffer.alloc(FRAME * 2)
		for (let i = 0; i < FRAME; i++) pcm.writeInt16LE(frame[i]!, i * 2)
		const payload = Buffer.from(this.encoder.encode(pcm, FRAME))
		this.sequence = (this.sequence + 1) & 0xffff
		this.timestamp = (this.timestamp + FRAME) >>> 0
		this.track.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: this.sequence, timestamp: this.timestamp, marker: false }), payload))
	}
}

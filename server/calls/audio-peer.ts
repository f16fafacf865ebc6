import OpusScript from 'opusscript';
import { MediaStreamTrack, RTCPeerConnection, RtpHeader, RtpPacket, useOPUS, type RTCIceServer, type RTCRtpTransceiver } from 'werift';
import { FRAME_SAMPLES, SAMPLE_RATE, frameFromBytes, frameToBytes, type Frame } from './pcm';

const OPUS_PT = 111;

/**
 * One WebRTC audio peer (werift): Opus over RTP both ways, as 20 ms PCM frames. Loopback ICE
 * works without internet (127.0.0.1 is added to the host candidates; werift leaves it out by
 * default). The emulator's media leg uses it toward the emulator, and the browser bridge toward
 * the browser.
 */
export class AudioPeer {
  readonly pc: RTCPeerConnection;
  private readonly track = new MediaStreamTrack({ kind: 'audio' });
  private readonly encoder = new OpusScript(SAMPLE_RATE, 1, OpusScript.Application.VOIP);
  private readonly decoder = new OpusScript(SAMPLE_RATE, 1, OpusScript.Application.VOIP);
  private sequence = Math.floor(Math.random() * 0xffff);
  private timestamp = Math.floor(Math.random() * 0xffffffff);
  private closed = false;
  private readonly heard = new Set<MediaStreamTrack>();
  /** Resolves when ICE and DTLS are up (audio can flow); rejects when the connection fails. */
  readonly connected: Promise<void>;

  constructor(
    private readonly onFrame: (frame: Frame) => void,
    iceServers: RTCIceServer[] = [],
  ) {
    this.pc = new RTCPeerConnection({ iceServers, iceAdditionalHostAddresses: ['127.0.0.1'], codecs: { audio: [useOPUS()] } });
    this.connected = new Promise((resolve, reject) => {
      this.pc.connectionStateChange.subscribe((state) => {
        if (state === 'connected') resolve();
        if (state === 'failed' || state === 'closed') reject(new Error(`the WebRTC connection ${state}`));
      });
    });
    this.connected.catch(() => undefined); // observed by whoever awaits it
    this.pc.onTransceiverAdded.subscribe((transceiver) => this.listen(transceiver));
  }

  /** Adds the sending (and receiving) audio transceiver; call before creating or answering an offer. */
  addAudio(): void {
    this.listen(this.pc.addTransceiver(this.track, { direction: 'sendrecv' }));
  }

  /** Decodes what the remote track sends (each track once, whichever transceiver reports it). */
  private listen(transceiver: RTCRtpTransceiver): void {
    transceiver.onTrack.subscribe((track) => {
      if (this.heard.has(track)) return;
      this.heard.add(track);
      track.onReceiveRtp.subscribe((rtp) => {
        if (this.closed || rtp.payload.length === 0) return;
        const pcm = Buffer.from(this.decoder.decode(rtp.payload));
        for (let offset = 0; offset + FRAME_SAMPLES * 2 <= pcm.length; offset += FRAME_SAMPLES * 2) this.onFrame(frameFromBytes(pcm.subarray(offset, offset + FRAME_SAMPLES * 2)));
      });
    });
  }

  async offer(): Promise<string> {
    this.addAudio();
    await this.pc.setLocalDescription(await this.pc.createOffer());
    return this.pc.localDescription!.sdp;
  }

  async answer(offerSdp: string): Promise<string> {
    this.addAudio();
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    return this.pc.localDescription!.sdp;
  }

  async accept(answerSdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  }

  /** Sends one 20 ms frame (Opus-encoded, one RTP packet). */
  send(frame: Frame): void {
    if (this.closed) return;
    const payload = Buffer.from(this.encoder.encode(frameToBytes(frame), FRAME_SAMPLES));
    this.sequence = (this.sequence + 1) & 0xffff;
    this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
    this.track.writeRtp(new RtpPacket(new RtpHeader({ payloadType: OPUS_PT, sequenceNumber: this.sequence, timestamp: this.timestamp, marker: false }), payload));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pc.close();
    this.encoder.delete();
    this.decoder.delete();
  }
}

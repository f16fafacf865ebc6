'use client';

/**
 * The browser side of the call console's audio: the ringtone, and the WebRTC link that carries the
 * microphone into a call's media hub and the call back to the speaker (WaGo answers the browser's
 * offer). A WebAudio analyser on the call's audio gives the level meter its loudest frequency.
 */

/** A two-tone ring (WebAudio oscillators) until stopped. */
export function startRingtone(): () => void {
  const ctx = new AudioContext();
  const gain = ctx.createGain();
  gain.gain.value = 0;
  gain.connect(ctx.destination);
  const tones = [440, 480].map((f) => {
    const osc = ctx.createOscillator();
    osc.frequency.value = f;
    osc.connect(gain);
    osc.start();
    return osc;
  });
  // 2 s on, 4 s off, as a phone rings
  const ring = () => {
    const t = ctx.currentTime;
    gain.gain.setValueAtTime(0.1, t);
    gain.gain.setValueAtTime(0, t + 2);
  };
  ring();
  const timer = setInterval(ring, 6000);
  void ctx.resume().catch(() => undefined); // without a click first the browser may keep it silent
  return () => {
    clearInterval(timer);
    for (const osc of tones) osc.stop();
    void ctx.close();
  };
}

export interface BrowserAudio {
  /** The loudest frequency (Hz) in what the call sends to this browser right now, 0 for silence. */
  peakHz(): number;
  close(): void;
}

/**
 * Opens the microphone, offers WebRTC audio through `offer` (WaGo's answer back), and plays the
 * call in `speaker`. Throws when the microphone is refused or the link fails.
 */
export async function connectBrowserAudio(opts: {
  iceServers: RTCIceServer[];
  speaker: HTMLAudioElement;
  offer: (sdp: string) => Promise<string>;
}): Promise<BrowserAudio> {
  const mic = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  const pc = new RTCPeerConnection({ iceServers: opts.iceServers });
  const ctx = new AudioContext();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 8192;
  const close = () => {
    for (const track of mic.getTracks()) track.stop();
    pc.close();
    opts.speaker.srcObject = null;
    void ctx.close();
  };
  try {
    for (const track of mic.getAudioTracks()) pc.addTrack(track, mic);
    pc.ontrack = (e) => {
      const stream = e.streams[0] ?? new MediaStream([e.track]);
      opts.speaker.srcObject = stream;
      void opts.speaker.play().catch(() => undefined); // autoplay refused: the meter still shows the call's audio
      ctx.createMediaStreamSource(stream).connect(analyser);
    };
    await pc.setLocalDescription(await pc.createOffer());
    await iceGathered(pc);
    const answer = await opts.offer(pc.localDescription!.sdp);
    await pc.setRemoteDescription({ type: 'answer', sdp: answer });
    await ctx.resume();
  } catch (error) {
    close();
    throw error;
  }
  const bins = new Float32Array(analyser.frequencyBinCount);
  return {
    peakHz() {
      analyser.getFloatFrequencyData(bins);
      let best = 0;
      for (let i = 1; i < bins.length; i++) if (bins[i]! > bins[best]!) best = i;
      return bins[best]! > -70 ? Math.round((best * ctx.sampleRate) / analyser.fftSize) : 0;
    },
    close,
  };
}

/** Waits until the offer holds its ICE candidates (no trickle: WaGo answers one SDP), at most 3 s. */
function iceGathered(pc: RTCPeerConnection): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = () => pc.iceGatheringState === 'complete' && done();
    const timer = setTimeout(done, 3000);
    pc.addEventListener('icegatheringstatechange', check);
  });
}

import { wavHeader } from '../../server/calls/wav-recorder';

/** A 48 kHz mono 16-bit WAV file of a sine tone. */
export function toneWav(frequency: number, seconds: number, amplitude = 0.5): Buffer {
  const samples = Math.round(48_000 * seconds);
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin((2 * Math.PI * frequency * i) / 48_000) * amplitude * 32767), i * 2);
  return Buffer.concat([wavHeader(data.length), data]);
}

/** The samples of a 48 kHz mono 16-bit WAV file (its header checked). */
export function wavSamples(wav: Buffer): Int16Array {
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new Error('not a WAV file');
  const dataBytes = wav.readUInt32LE(40);
  if (wav.readUInt32LE(4) !== 36 + dataBytes || dataBytes !== wav.length - 44) throw new Error(`WAV sizes do not match the file (${dataBytes} of ${wav.length - 44})`);
  const out = new Int16Array(dataBytes / 2);
  for (let i = 0; i < out.length; i++) out[i] = wav.readInt16LE(44 + i * 2);
  return out;
}

/** Goertzel: the power of one frequency in the samples. */
export function goertzel(samples: ArrayLike<number>, frequency: number, rate = 48_000): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / rate);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < samples.length; i++) {
    const s = (samples[i] ?? 0) + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/** The strongest frequency between 100 and 2000 Hz, to 5 Hz. */
export function dominantFrequency(samples: ArrayLike<number>): number {
  let best = 0;
  let bestPower = -1;
  for (let f = 100; f <= 2000; f += 5) {
    const p = goertzel(samples, f);
    if (p > bestPower) {
      bestPower = p;
      best = f;
    }
  }
  return best;
}

/** The samples that are not silence (a recording keeps silence where nobody speaks). */
export const voiced = (samples: Int16Array): Int16Array => {
  const first = samples.findIndex((s) => s !== 0);
  let last = samples.length - 1;
  while (last > first && samples[last] === 0) last--;
  return first < 0 ? new Int16Array(0) : samples.subarray(first, last + 1);
};

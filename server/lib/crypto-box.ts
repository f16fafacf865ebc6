import { createCipheriv, createDecipheriv, createHmac, randomFillSync } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** IVs drawn from the system's random generator at a time (see nextIv). */
const IVS_PER_DRAW = 256;

let ivPool = Buffer.alloc(0);
let ivOffset = 0;

/**
 * A fresh random IV. One draw from the random generator costs some 25 µs whatever its size
 * (a job object, OpenSSL's generator), and WaGo seals a key change or two with every message
 * sent: so IVs are drawn 256 at a time, each handed out once — as Node does for randomUUID.
 */
function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomFillSync(Buffer.allocUnsafeSlow(IV_BYTES * IVS_PER_DRAW));
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

/**
 * AES-256-GCM for data at rest (session keys, credentials, webhook secrets).
 * Layout: [version 1 byte][iv 12][tag 16][ciphertext]. The associated data binds a value to
 * where it belongs (e.g. session id + key name), so rows can't be swapped between sessions.
 */
export class CryptoBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('encryption key must be 32 bytes');
    this.key = key;
  }

  encrypt(plain: Buffer, aad: string): Buffer {
    const iv = nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(sealed: Uint8Array, aad: string): Buffer {
    const data = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (data.length < 1 + IV_BYTES + TAG_BYTES || data[0] !== VERSION) throw new Error('encrypted value has an unknown format');
    const iv = data.subarray(1, 1 + IV_BYTES);
    const tag = data.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  }

  /** A value that identifies the key without revealing it (stored to detect a changed key). */
  fingerprint(): string {
    return createHmac('sha256', this.key).update('wago-key-check').digest('hex').slice(0, 32);
  }
}

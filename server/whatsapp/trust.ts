import { Curve, WA_CERT_DETAILS } from 'baileys';
import * as curve from 'libsignal/src/curve.js';

/**
 * Points Baileys' server-certificate check at another root key (a WhatsApp emulator's), and
 * makes the check really verify signatures: Baileys' own `Curve.verify` returns true for any
 * well-formed signature. Only installed when WAGO_WA_ROOT_KEY is set; never otherwise.
 */
export function trustServerRoot(publicKeyHex: string): void {
  const key = Buffer.from(publicKeyHex, 'hex');
  if (key.length !== 32) throw new Error('WAGO_WA_ROOT_KEY must be a 32-byte public key');
  WA_CERT_DETAILS.PUBLIC_KEY = key;
  Curve.verify = (pubKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean => {
    const full = pubKey.length === 33 ? Buffer.from(pubKey) : Buffer.concat([Buffer.from([5]), pubKey]);
    try {
      return curve.verifySignature(full, message, signature) === true;
    } catch {
      return false; // a malformed key or signature is a failed check
    }
  };
}

import { Curve, WA_CERT_DETAILS } from 'baileys';
import * as curve from 'libsignal/src/curve.js';

/** WhatsApp's own Noise certificate root key, as Baileys ships it (before anything replaces it). */
export const WHATSAPP_ROOT_KEY: Buffer = Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY);

/**
 * A signature check that honours its result. Baileys 7.0.0-rc14's own `Curve.verify` ignores what
 * libsignal's `verifySignature` returns, so it accepts any well-formed signature: any Noise
 * certificate chain, and any account signature at pairing.
 */
export function strictVerify(pubKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    const full = pubKey.length === 33 ? Buffer.from(pubKey) : Buffer.concat([Buffer.from([5]), pubKey]);
    return curve.verifySignature(full, message, signature) === true;
  } catch {
    return false; // a malformed key or signature is a failed check
  }
}

/**
 * Makes Baileys verify the server's certificate chain and the account signature at pairing for
 * real, against `publicKeyHex` (another server's root, e.g. an emulator's) or, when none is given,
 * WhatsApp's own root key. Installed by every WaGo process at start, whatever its configuration.
 */
export function installStrictTrust(publicKeyHex?: string): { rootKey: Buffer; custom: boolean } {
  const key = publicKeyHex ? Buffer.from(publicKeyHex, 'hex') : WHATSAPP_ROOT_KEY;
  if (key.length !== 32) throw new Error('WAGO_WA_ROOT_KEY must be a 32-byte public key');
  WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(key);
  Curve.verify = strictVerify;
  return { rootKey: key, custom: publicKeyHex !== undefined };
}

/** Baileys' errors for a server or account that failed verification (noise-handler.js, validate-connection.js). */
const TRUST_FAILURES = [
  /invalid noise (leaf|intermediate) certificate/i,
  /noise (intermediate )?certificate signature invalid/i,
  /certification match failed/i,
  /invalid account signature/i,
  /failed to verify account signature/i,
];

/** Whether a closed connection's error says the server or the pairing account could not be verified. */
export function isTrustFailure(message: string): boolean {
  return TRUST_FAILURES.some((re) => re.test(message));
}

/** Trusts another server's root key (e.g. an emulator's), with strict verification. */
export function trustServerRoot(publicKeyHex: string): void {
  installStrictTrust(publicKeyHex);
}

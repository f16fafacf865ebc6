import { BufferJSON, proto } from 'baileys';
import type { CryptoBox } from '../../lib/crypto-box';

/** Serialises Baileys values (which contain Buffers) to encrypted bytes and back. */
export class AuthCodec {
  constructor(
    private readonly crypto: CryptoBox,
    private readonly sessionId: string,
  ) {}

  private aad(kind: string): string {
    return `wa-auth:${this.sessionId}:${kind}`;
  }

  seal(kind: string, value: unknown): Uint8Array {
    return this.crypto.encrypt(Buffer.from(JSON.stringify(value, BufferJSON.replacer), 'utf8'), this.aad(kind));
  }

  open<T>(kind: string, sealed: Uint8Array): T {
    return JSON.parse(this.crypto.decrypt(sealed, this.aad(kind)).toString('utf8'), BufferJSON.reviver) as T;
  }

  /** Signal key values; app-state sync keys must become their protobuf class again. */
  openKey(type: string, keyId: string, sealed: Uint8Array): unknown {
    const value = this.open<unknown>(`${type}:${keyId}`, sealed);
    if (type === 'app-state-sync-key' && value) {
      return proto.Message.AppStateSyncKeyData.fromObject(value as Record<string, unknown>);
    }
    return value;
  }
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { CLOSED_SESSIONS_KEPT, trimClosedSessions } from '../../server/whatsapp/auth/session-record-trim';

// libsignal as Baileys uses it (CommonJS, no types of its own).
const libsignal = createRequire(import.meta.url)('libsignal') as LibSignal;

interface KeyPair {
  pubKey: Buffer;
  privKey: Buffer;
}
interface SerializedRecord {
  _sessions: Record<string, { indexInfo: { closed: number } }>;
}
interface Record_ {
  serialize(): SerializedRecord;
  haveOpenSession(): boolean;
}
interface LibSignal {
  keyhelper: {
    generateIdentityKeyPair(): KeyPair;
    generateRegistrationId(): number;
    generatePreKey(id: number): { keyId: number; keyPair: KeyPair };
    generateSignedPreKey(identity: KeyPair, id: number): { keyId: number; keyPair: KeyPair; signature: Buffer };
  };
  ProtocolAddress: new (name: string, device: number) => { toString(): string };
  SessionRecord: { deserialize(data: SerializedRecord): Record_ };
  SessionBuilder: new (storage: Store, address: object) => { initOutgoing(bundle: object): Promise<void> };
  SessionCipher: new (
    storage: Store,
    address: object,
  ) => {
    encrypt(data: Buffer): Promise<{ type: number; body: string }>;
    decryptPreKeyWhisperMessage(body: Buffer): Promise<Buffer>;
    decryptWhisperMessage(body: Buffer): Promise<Buffer>;
  };
}

/**
 * A party's Signal store. Session records are kept serialised, as Baileys hands them to WaGo's
 * key store, and `trim` applies what the key store does before keeping one.
 */
class Store {
  readonly identity = libsignal.keyhelper.generateIdentityKeyPair();
  readonly registrationId = libsignal.keyhelper.generateRegistrationId();
  readonly records = new Map<string, SerializedRecord>();
  readonly preKeys = new Map<number, KeyPair>();
  readonly signed = libsignal.keyhelper.generateSignedPreKey(this.identity, 1);
  private nextPreKey = 1;
  constructor(private readonly trim: boolean) {}
  async getOurIdentity() {
    return this.identity;
  }
  async getOurRegistrationId() {
    return this.registrationId;
  }
  async isTrustedIdentity() {
    return true;
  }
  async loadPreKey(id: number) {
    return this.preKeys.get(id);
  }
  async removePreKey(id: number) {
    this.preKeys.delete(id);
  }
  async loadSignedPreKey() {
    return this.signed.keyPair;
  }
  async loadSession(id: string) {
    const stored = this.records.get(id);
    // A copy, as a database hands it back.
    return stored && libsignal.SessionRecord.deserialize(JSON.parse(JSON.stringify(stored)) as SerializedRecord);
  }
  async storeSession(id: string, record: Record_) {
    const data = record.serialize();
    if (this.trim) trimClosedSessions(data);
    this.records.set(id, data);
  }
  /** A pre-key bundle as WhatsApp hands it out: a fresh one-time pre-key each time. */
  bundle() {
    const preKey = libsignal.keyhelper.generatePreKey(this.nextPreKey++);
    this.preKeys.set(preKey.keyId, preKey.keyPair);
    return {
      identityKey: this.identity.pubKey,
      registrationId: this.registrationId,
      preKey: { keyId: preKey.keyId, publicKey: preKey.keyPair.pubKey },
      signedPreKey: { keyId: this.signed.keyId, publicKey: this.signed.keyPair.pubKey, signature: this.signed.signature },
    };
  }
}

const closedCount = (record: SerializedRecord) => Object.values(record._sessions).filter((s) => s.indexInfo.closed !== -1).length;
const openCount = (record: SerializedRecord) => Object.values(record._sessions).filter((s) => s.indexInfo.closed === -1).length;

/** libsignal narrates every session it opens, closes and fails to decrypt with on the console. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const saved = { info: console.info, warn: console.warn, error: console.error };
  console.info = console.warn = console.error = () => {};
  try {
    return await fn();
  } finally {
    Object.assign(console, saved);
  }
}

/**
 * Alice looks Bob's device up `lookUps` times (a new session each time, as Baileys does with a
 * cold device cache) and sends on each; Bob gets the messages built on the look-ups in `bobGets`.
 */
async function replacedSessions(trim: boolean, lookUps: number, bobGets: number[]) {
  const alice = new Store(trim);
  const bob = new Store(false);
  const bobAddress = new libsignal.ProtocolAddress('bob', 0);
  const aliceAddress = new libsignal.ProtocolAddress('alice', 0);
  return quietly(async () => {
    const sent: Array<{ body: string }> = [];
    for (let i = 0; i < lookUps; i++) {
      await new libsignal.SessionBuilder(alice, bobAddress).initOutgoing(bob.bundle());
      sent.push(await new libsignal.SessionCipher(alice, bobAddress).encrypt(Buffer.from(`hello ${i}`)));
      await new Promise((r) => setTimeout(r, 2)); // distinct closing times
    }
    for (const i of bobGets) {
      const text = await new libsignal.SessionCipher(bob, aliceAddress).decryptPreKeyWhisperMessage(Buffer.from(sent[i].body, 'base64'));
      assert.equal(text.toString(), `hello ${i}`);
    }
    // Bob answers on the session he last heard of.
    const reply = await new libsignal.SessionCipher(bob, aliceAddress).encrypt(Buffer.from('reply'));
    const record = alice.records.get(bobAddress.toString())!;
    return {
      record,
      decryptReply: () => quietly(() => new libsignal.SessionCipher(alice, bobAddress).decryptWhisperMessage(Buffer.from(reply.body, 'base64'))),
    };
  });
}

test('a record replaced at every look-up keeps its open session and only the newest replaced ones', async () => {
  const untrimmed = await replacedSessions(false, 12, [11]);
  assert.equal(closedCount(untrimmed.record), 11, 'libsignal alone keeps every replaced session');
  const trimmed = await replacedSessions(true, 12, [11]);
  assert.equal(closedCount(trimmed.record), CLOSED_SESSIONS_KEPT);
  assert.equal(openCount(trimmed.record), 1);
  assert.ok(JSON.stringify(trimmed.record).length < JSON.stringify(untrimmed.record).length / 2, 'the stored record is bounded');
  assert.ok(libsignal.SessionRecord.deserialize(trimmed.record).haveOpenSession());
  assert.equal((await trimmed.decryptReply()).toString(), 'reply', 'the open session still works');
});

test('a device still on one of the newest replaced sessions is still understood', async () => {
  // Bob missed the last two look-ups' messages: he answers on the session of look-up 9 of 12.
  const { decryptReply } = await replacedSessions(true, 12, [9]);
  assert.equal((await decryptReply()).toString(), 'reply');
});

test('one on an older replaced session is not (what libsignal alone would still decrypt)', async () => {
  const trimmed = await replacedSessions(true, 12, [2]);
  await assert.rejects(trimmed.decryptReply());
  const untrimmed = await replacedSessions(false, 12, [2]);
  assert.equal((await untrimmed.decryptReply()).toString(), 'reply');
});

test('values that are not session records are left as they are', () => {
  for (const value of [null, undefined, 'x', 1, {}, { _sessions: null }, { registrationId: 1 }]) {
    const before = JSON.stringify(value);
    assert.equal(trimClosedSessions(value), 0);
    assert.equal(JSON.stringify(value), before);
  }
  const open = { _sessions: { a: { indexInfo: { closed: -1 } }, b: { indexInfo: { closed: 5 } } } };
  assert.equal(trimClosedSessions(open, 0), 1);
  assert.deepEqual(Object.keys(open._sessions), ['a'], 'the open session is never dropped');
});

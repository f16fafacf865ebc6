import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Curve, WA_CERT_DETAILS } from 'baileys';
import { decideOnClose } from '../../server/whatsapp/lifecycle/close-policy';
import { installStrictTrust, isTrustFailure, strictVerify, WHATSAPP_ROOT_KEY } from '../../server/whatsapp/trust';

test("Baileys' certificate and pairing errors stop the session; other closes still reconnect", () => {
  for (const message of ['noise certificate signature invalid', 'noise intermediate certificate signature invalid', 'certification match failed', 'invalid noise leaf certificate']) {
    assert.ok(isTrustFailure(message), message);
    const action = decideOnClose(400, false, message);
    assert.equal(action.kind, 'stop');
    assert.match(action.reason, /^server refused: its certificate does not chain to the trusted WhatsApp root key/);
  }
  const forged = decideOnClose(500, false, 'Failed to verify account signature');
  assert.deepEqual(forged, { kind: 'stop', reason: 'pairing refused: the account signature does not verify (Failed to verify account signature)' });
  assert.equal(decideOnClose(500, true, 'Connection Closed').kind, 'reconnect-backoff');
  assert.equal(decideOnClose(undefined, true, 'stream errored out').kind, 'reconnect-backoff');
});

test("strict trust: WhatsApp's root by default, another on request; a bad signature fails", () => {
  const original = { key: WA_CERT_DETAILS.PUBLIC_KEY, verify: Curve.verify };
  try {
    assert.deepEqual(installStrictTrust(), { rootKey: WHATSAPP_ROOT_KEY, custom: false });
    assert.deepEqual(Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY), WHATSAPP_ROOT_KEY);
    assert.equal(Curve.verify, strictVerify);
    const pair = Curve.generateKeyPair();
    const message = Buffer.from('details');
    const signature = Curve.sign(pair.private, message);
    assert.equal(strictVerify(pair.public, message, signature), true);
    assert.equal(strictVerify(pair.public, Buffer.from('other details'), signature), false);
    assert.equal(strictVerify(Curve.generateKeyPair().public, message, signature), false);
    assert.equal(strictVerify(Buffer.alloc(3), message, signature), false, 'a malformed key fails, never throws');
    const other = Buffer.alloc(32, 7).toString('hex');
    assert.deepEqual(installStrictTrust(other).custom, true);
    assert.equal(Buffer.from(WA_CERT_DETAILS.PUBLIC_KEY).toString('hex'), other);
    assert.throws(() => installStrictTrust('abcd'), /32-byte/);
  } finally {
    WA_CERT_DETAILS.PUBLIC_KEY = original.key;
    Curve.verify = original.verify;
  }
});

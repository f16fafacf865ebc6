import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { captureLibsignalConsole } from '../../server/whatsapp/libsignal-console';

test("libsignal's console lines go to the log as text only: no session record, no private key", () => {
  const lines: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }));
  const printed: unknown[][] = [];
  const originalInfo = console.info;
  console.info = (...args: unknown[]) => void printed.push(args);
  const restore = captureLibsignalConsole(logger);
  try {
    const secret = Buffer.from('a0fb4246a4fbb161ffae59e41800bde1', 'hex');
    console.info('Closing session:', { currentRatchet: { ephemeralKeyPair: { privKey: secret } } });
    console.info('an unrelated line', 42);
    assert.deepEqual(printed, [['an unrelated line', 42]], 'other console output is untouched');
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0]!) as { msg: string; component: string; level: number };
    assert.deepEqual([entry.msg, entry.component, entry.level], ['Closing session', 'libsignal', 20]);
    assert.equal(lines[0]!.includes('a0fb') || lines[0]!.includes('privKey'), false, 'no key material');
  } finally {
    restore();
    console.info = originalInfo;
  }
});

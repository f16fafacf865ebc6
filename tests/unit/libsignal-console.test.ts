import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { execFileSync } from 'node:child_process';
import { captureLibsignalConsole } from '../../server/whatsapp/libsignal-console';
import { OwnStorage, SlotStorage, withStorageOwner } from '../../server/whatsapp/async-context/storages';
import { WAGO_NODE_IMPORTS } from '../../server/whatsapp/async-context/node-args';

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

/** Captures the log lines of a libsignal console capture while `work` runs. */
async function capturedLines(work: () => Promise<void>): Promise<Array<{ msg: string; sessionId?: string }>> {
  const lines: Array<{ msg: string; sessionId?: string }> = [];
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
  const restore = captureLibsignalConsole(logger);
  try {
    await work();
  } finally {
    restore();
  }
  return lines;
}

for (const [name, Storage] of [['SlotStorage', SlotStorage], ['OwnStorage', OwnStorage]] as const) {
  test(`${name}: a libsignal line names the session whose key transaction it runs in, and only when exactly one is current`, async () => {
    const a = withStorageOwner('session-a', () => new Storage<object>());
    const b = withStorageOwner('session-b', () => new Storage<object>());
    const unowned = new Storage<object>();
    const lines = await capturedLines(async () => {
      await a.run({}, async () => {
        await new Promise((r) => setImmediate(r));
        console.info('Closing session:', { privKey: Buffer.alloc(32) });
      });
      await b.run({}, async () => console.warn('Session already closed', {}));
      console.info('Opening session:', {});
      await unowned.run({}, async () => console.info('Removing old closed session:', {}));
      await a.run({}, () => b.run({}, async () => console.error('Session error:Error: Bad MAC', 'stack')));
    });
    assert.deepEqual(
      lines.map((l) => [l.msg, l.sessionId]),
      [
        ['Closing session', 'session-a'],
        ['Session already closed', 'session-b'],
        ['Opening session', undefined],
        ['Removing old closed session', undefined],
        ['Session error:Error: Bad MAC stack', undefined],
      ],
    );
  });
}

test("Baileys' key transactions, made under withStorageOwner as a socket's are, name their session in the lines of libsignal's jobs", () => {
  // A fresh process with WaGo's module hook, so that Baileys makes its storage from BaileysStorage.
  const script = `
    const { addTransactionCapability } = await import('baileys');
    const { withStorageOwner } = await import(${JSON.stringify(new URL('../../server/whatsapp/async-context/storages.ts', import.meta.url).href)});
    const { captureLibsignalConsole } = await import(${JSON.stringify(new URL('../../server/whatsapp/libsignal-console.ts', import.meta.url).href)});
    const { default: pino } = await import('pino');
    const log = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
    const keys = withStorageOwner('session-1', () => addTransactionCapability({ get: async () => ({}), set: async () => {} }, log, { maxCommitRetries: 1, delayBetweenTriesMs: 1 }));
    const lines = [];
    captureLibsignalConsole(pino({ level: 'debug' }, { write: (line) => lines.push(JSON.parse(line)) }));
    // libsignal runs its session work as jobs queued per contact address (queue_job.js).
    const { default: queueJob } = await import('libsignal/src/queue_job.js');
    await keys.transaction(() => queueJob('15550002001.0', async () => console.info('Closing session:', {})), '15550002001@s.whatsapp.net');
    console.info('Opening session:', {});
    process.stdout.write(JSON.stringify(lines.map((l) => [l.msg, l.sessionId ?? null])));
  `;
  const out = execFileSync(process.execPath, [...WAGO_NODE_IMPORTS, '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), [
    ['Closing session', 'session-1'],
    ['Opening session', null],
  ]);
});

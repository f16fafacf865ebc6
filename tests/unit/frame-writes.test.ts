import { test } from 'node:test';
import assert from 'node:assert/strict';
import { until } from '../helpers/until';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import WebSocket, { WebSocketServer } from 'ws';
import type { WASocket } from 'baileys';
import { batchFrameWrites, framesWritten } from '../../server/whatsapp/frame-writes';
import type { Logger } from '../../server/logger';

/** A WebSocket client wrapped as Baileys' socket is, and the messages its server received. */
async function connected() {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const received: string[] = [];
  server.on('connection', (peer) => peer.on('message', (data) => received.push(data.toString())));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  // As in createSocket: Baileys has created (and started connecting) its WebSocket; frames are batched before it opens.
  const sock = { ws: { socket: client } } as unknown as WASocket;
  batchFrameWrites(sock, pino({ level: 'silent' }) as unknown as Logger);
  await new Promise<void>((resolve) => client.once('open', resolve));
  return { sock, client, received, close: () => (client.terminate(), server.close()) };
}

test("a turn's frames to WhatsApp leave in one system call, in order; Baileys goes on without waiting for the flush", async () => {
  const { sock, client, received, close } = await connected();
  try {
    const transport = (client as unknown as { _socket: { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void } })._socket;
    const calls: string[] = [];
    const single = transport._write.bind(transport);
    const vector = transport._writev.bind(transport);
    transport._write = (...a) => (calls.push('write'), single(...a));
    transport._writev = (...a) => (calls.push('writev'), vector(...a));
    let acknowledged = 0;
    const send = client.send.bind(client) as (data: Uint8Array, cb: (error?: Error) => void) => void;
    for (let i = 0; i < 3; i++) send(Buffer.from(`frame ${i}`), (error) => (assert.equal(error, undefined), acknowledged++));
    // Every callback has run while nothing has reached the socket yet: the relay chain goes on in this turn.
    const seen = await new Promise<{ acknowledged: number; calls: number }>((resolve) => process.nextTick(() => resolve({ acknowledged, calls: calls.length })));
    assert.deepEqual(seen, { acknowledged: 3, calls: 0 });
    // framesWritten waits for the turn's write: what must have left (a pairing code's request) has.
    await framesWritten(sock);
    assert.deepEqual(calls, ['writev']);
    await until(() => received.length === 3);
    assert.deepEqual(received, ['frame 0', 'frame 1', 'frame 2']);
    assert.deepEqual(calls, ['writev'], 'one system call for the turn');
    await framesWritten(sock); // settled, and stays so
  } finally {
    close();
  }
});

test('a frame sent on a connection that is closing gets its error, as Baileys expects', async () => {
  const { client, close } = await connected();
  try {
    client.close();
    const error = await new Promise<Error | undefined>((resolve) => (client.send.bind(client) as (d: Uint8Array, cb: (e?: Error) => void) => void)(Buffer.from('late'), resolve));
    assert.ok(error instanceof Error, 'the write callback reports the failure');
  } finally {
    close();
  }
});

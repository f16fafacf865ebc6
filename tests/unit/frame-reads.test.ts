import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import WebSocket, { WebSocketServer } from 'ws';
import type { WASocket } from 'baileys';
import { until } from '../helpers/until';
import { busy, hitsPerTurn, longestTurn } from '../helpers/loop-turns';
import { paceFrameReads } from '../../server/whatsapp/frame-reads';
import { TurnBudget } from '../../server/lib/turn-budget';
import type { Logger } from '../../server/logger';

/**
 * A connection as Baileys makes it: its client re-emits the WebSocket's events, and Baileys'
 * message handler (decoding, then handing frames to handlers) is async. Returns what the handler
 * saw, in order, and the server's side to send from.
 */
async function connected(budget: TurnBudget, handle: (text: string) => Promise<void>) {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const peer = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
  const socket = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  const client = Object.assign(new EventEmitter(), { socket });
  for (const event of ['close', 'error', 'message', 'open']) socket.on(event, (...args: unknown[]) => client.emit(event, ...args));
  const seen: string[] = [];
  client.on('message', async (data: Buffer) => {
    await Promise.resolve();
    await handle(data.toString());
    seen.push(data.toString());
  });
  client.on('close', () => seen.push('close'));
  paceFrameReads({ ws: client } as unknown as WASocket, budget, pino({ level: 'silent' }) as unknown as Logger);
  await new Promise<void>((resolve) => socket.once('open', resolve));
  return { seen, server: await peer, socket, close: () => (socket.terminate(), server.close()) };
}

test('frames from WhatsApp are handled in order, a slice at a time: a burst no longer holds the event loop', async () => {
  const budget = new TurnBudget(8, 10);
  const frames = hitsPerTurn();
  const { seen, server, close } = await connected(budget, async () => (busy(1), frames.hit()));
  try {
    // 200 messages written at once: one read brings many of them, each taking 1 ms to handle.
    const sent = Array.from({ length: 200 }, (_, i) => `frame ${i}`);
    const longest = await longestTurn(async () => {
      for (const text of sent) server.send(text);
      await until(() => seen.length === 200, 10_000);
    });
    const most = frames.stop();
    assert.deepEqual(seen, sent, 'every frame, in the order WhatsApp sent them');
    // 200 ms of handling; unpaced, a read's frames were all handled in one turn (up to 174 ms).
    assert.ok(most <= 12, `at most ${most} frames were handled in one turn of the loop`);
    console.log(`most frames in one turn: ${most}; longest turn: ${longest.toFixed(1)} ms`);
  } finally {
    close();
  }
});

test("a connection's close reaches Baileys after the frames received before it", async () => {
  const budget = new TurnBudget(8, 5);
  const { seen, server, close } = await connected(budget, async () => busy(1));
  try {
    const sent = Array.from({ length: 50 }, (_, i) => `frame ${i}`);
    for (const text of sent) server.send(text);
    server.close();
    await until(() => seen.includes('close'), 10_000);
    assert.deepEqual(seen, [...sent, 'close']);
  } finally {
    close();
  }
});

test('a connection with many frames waiting stops reading until it has caught up, and loses none', async () => {
  const budget = new TurnBudget(8, 2);
  let paused = 0;
  const { seen, server, socket, close } = await connected(budget, async () => busy(0.2));
  const pause = socket.pause.bind(socket);
  socket.pause = () => {
    paused++;
    pause();
  };
  try {
    const sent = Array.from({ length: 2000 }, (_, i) => `frame ${i}`);
    for (const text of sent) server.send(text);
    await until(() => seen.length === 2000, 20_000);
    assert.deepEqual(seen, sent);
    assert.ok(paused > 0, 'the socket was paused while frames piled up');
    assert.equal(socket.isPaused, false, 'and reads again once caught up');
  } finally {
    close();
  }
});

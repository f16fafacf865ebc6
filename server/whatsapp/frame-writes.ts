import { Duplex } from 'node:stream';
import type { WASocket } from 'baileys';
import type { Logger } from '../logger';
import { coalesceWrites } from '../lib/coalesce-writes';

/** The part of `ws`'s WebSocket that Baileys writes frames through. */
interface FrameSocket {
  readyState: number;
  _socket?: unknown;
  send(data: Uint8Array, cb?: (error?: Error) => void): void;
  on(event: 'open', listener: () => void): unknown;
}

const OPEN = 1;

/** Per socket: settles when the last frame queued so far has been handed to the kernel (or failed). */
const lastWrite = new WeakMap<WASocket, Promise<void>>();

/**
 * Frames a session writes to WhatsApp within one turn of the event loop leave in one system call.
 *
 * In a send burst a turn relays several messages and acknowledges several receipts, each a frame
 * of its own, and a write system call costs about 0.1 ms here. Baileys waits for each frame's
 * write callback, and a chat's relays run one after another, so a frame held back until the end
 * of the turn would let one relay through per turn; the callback is therefore called as soon as
 * the frame is queued on the connection. That is all a write callback ever promised: the bytes
 * were handed to the kernel, never known to be received (WhatsApp's ack says that). A write that
 * fails later closes the connection, and Baileys' close handling reports it like any broken one.
 */
export function batchFrameWrites(sock: WASocket, logger: Logger): void {
  const ws = (sock.ws as unknown as { socket?: FrameSocket | null }).socket;
  if (!ws) {
    logger.warn('the WhatsApp connection has no WebSocket to batch frames on; they are written one by one');
    return;
  }
  const send = ws.send.bind(ws);
  let transport: Duplex | undefined;
  ws.on('open', () => {
    if (ws._socket instanceof Duplex) {
      transport = ws._socket;
      coalesceWrites(transport);
    } else {
      logger.warn('the WhatsApp WebSocket has no stream underneath; frames are written one by one');
    }
  });
  ws.send = (data, cb) => {
    if (!transport || transport.destroyed || ws.readyState !== OPEN) return send(data, cb);
    const written = new Promise<void>((resolve) =>
      send(data, (error) => {
        if (error) logger.warn({ err: error }, 'a frame to WhatsApp could not be written; the connection closes');
        resolve();
      }),
    );
    lastWrite.set(sock, written);
    if (cb) process.nextTick(cb);
  };
}

/**
 * Settles once every frame the session queued so far has left the process (frames are written in
 * order, so the last one's write says it for all). For answers that hand something to a person or
 * a program who acts on WhatsApp's side at once: a pairing code is given out only when its request
 * is on its way.
 */
export function framesWritten(sock: WASocket): Promise<void> {
  return lastWrite.get(sock) ?? Promise.resolve();
}

import type { WASocket } from 'baileys';
import type { Logger } from '../logger';
import type { TurnBudget } from '../lib/turn-budget';

/** The part of `ws`'s WebSocket that Baileys reads frames from. */
interface ReadSocket {
  listeners(event: string): Array<(...args: unknown[]) => unknown>;
  removeAllListeners(event: string): unknown;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  pause(): void;
  resume(): void;
}

/** Baileys' client around that WebSocket: it re-emits the socket's events to Baileys' handlers. */
interface ReadClient {
  socket?: ReadSocket | null;
  listeners(event: string): Array<(...args: unknown[]) => unknown>;
}

/** Messages held for one connection before its socket stops reading (TCP then holds the rest). */
const PAUSE_AT = 256;
const RESUME_AT = 64;

/**
 * What WhatsApp sends a session is taken in within the process-wide turn budget, like relays and
 * REST requests.
 *
 * In a send burst WhatsApp answers every message with an ack and one or more receipts, and one
 * read of a connection can bring dozens of them; Baileys decrypts, decodes and handles each one
 * (the receipt's update, its ack back) inside that read's callback and the promise continuations
 * it starts, so a turn of the loop held every frame the 20 connections had received since the
 * last one, and the longer the turn, the more frames the next one held. Here each connection's
 * messages wait in order, first come first served with the process's other deferrable work: a
 * message is handed to Baileys when the turn's slice has room, and the next one once Baileys has
 * decoded and dispatched it. The connection's close and errors queue behind its messages, so
 * Baileys sees them in the order they happened. A connection with many messages waiting stops
 * reading until it caught up; TCP holds the rest on the way.
 */
export function paceFrameReads(sock: WASocket, budget: Pick<TurnBudget, 'admit'>, logger: Logger): void {
  const client = sock.ws as unknown as ReadClient;
  const ws = client.socket;
  if (!ws) {
    logger.warn('the WhatsApp connection has no WebSocket to pace reads on; frames are taken in as they come');
    return;
  }
  const queue: Array<() => Promise<unknown>> = [];
  let draining = false;
  let paused = false;

  // Baileys' client forwards each event of the socket with a listener of its own; those
  // forwarders now run from the queue. Baileys' message handler returns a promise that settles
  // once the frames of that message are decoded and handed to their handlers.
  const deferred = (event: 'message' | 'close' | 'error') => {
    const forwarders = ws.listeners(event);
    ws.removeAllListeners(event);
    ws.on(event, (...args: unknown[]) => {
      queue.push(() =>
        event === 'message'
          ? Promise.all(client.listeners('message').map((handle) => handle.apply(client, args)))
          : Promise.resolve(forwarders.forEach((forward) => forward.apply(ws, args))),
      );
      if (!paused && queue.length >= PAUSE_AT) {
        paused = true;
        ws.pause();
      }
      if (!draining) void drain();
    });
  };

  const drain = async () => {
    draining = true;
    try {
      while (queue.length) {
        const admitted = budget.admit();
        if (admitted) await admitted;
        const next = queue.shift()!;
        if (paused && queue.length <= RESUME_AT) {
          paused = false;
          ws.resume();
        }
        try {
          await next();
        } catch (error) {
          logger.error({ err: error }, 'a frame from WhatsApp could not be handled');
        }
      }
    } finally {
      draining = false;
    }
  };

  deferred('message');
  deferred('error');
  deferred('close');
}

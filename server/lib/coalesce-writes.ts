import type { Duplex } from 'node:stream';

const COALESCED = Symbol('wago.coalescedWrites');

type Coalescable = Duplex & { [COALESCED]?: true };

/**
 * Makes the writes a socket receives within one turn of the event loop leave in one system
 * call: the first write of a turn corks the socket, and the turn's check phase uncorks it.
 *
 * On a busy gateway a socket write that wakes the process at the other end is among the dearest
 * things it does (100–200 µs here). A send burst gives each socket.io client an event per message
 * and per receipt; written per turn, those go out in a few calls instead of one each. Nothing
 * waits longer than the current turn: the uncork runs before the loop polls for new I/O.
 */
export function coalesceWrites(socket: Duplex): void {
  const target = socket as Coalescable;
  if (target[COALESCED]) return;
  target[COALESCED] = true;
  let corked = false;
  const flush = () => {
    corked = false;
    if (!socket.destroyed) socket.uncork();
  };
  const write = socket.write;
  socket.write = function coalescedWrite(this: Duplex, ...args: Parameters<Duplex['write']>): boolean {
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      setImmediate(flush);
    }
    return write.apply(this, args);
  } as Duplex['write'];
}

import type { Server as SocketServer } from 'socket.io';
import type { EventBus } from '../events/bus';
import { sessionRoom, sessionTypeRoom } from './rooms';

/**
 * Sends every session event, as `event`, to that session's room and to the room of its type
 * (clients that asked for some types only); a client in both gets it once.
 *
 * `localOnly` (no cross-process adapter): an event no client here waits for is not emitted at
 * all, since socket.io encodes a broadcast before it looks for its recipients. With the Redis
 * adapter every event is emitted, as clients of other processes may wait for it.
 */
export function bridgeEventsToSockets(bus: EventBus, io: SocketServer, opts: { localOnly: boolean }): () => void {
  return bus.subscribe((event) => {
    const rooms = io.of('/').adapter.rooms;
    const all = sessionRoom(event.sessionId);
    const typed = sessionTypeRoom(event.sessionId, event.type);
    if (opts.localOnly && !rooms.get(all)?.size && !rooms.get(typed)?.size) return;
    io.to(all).to(typed).emit('event', event);
  });
}

import type { Server as SocketServer } from 'socket.io';
import type { EventBus } from '../events/bus';
import { sessionRoom } from './rooms';

/** Sends every session event to that session's socket.io room, as `event`. */
export function bridgeEventsToSockets(bus: EventBus, io: SocketServer): () => void {
  return bus.subscribe((event) => {
    io.to(sessionRoom(event.sessionId)).emit('event', event);
  });
}

import type { EventType } from '../events/types';

/** Room that carries all of one session's live events (socket.io). */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/** Room that carries one type of a session's live events, for clients that asked for some types only. */
export const sessionTypeRoom = (sessionId: string, type: EventType) => `session:${sessionId}:${type}`;

/** Room that carries one session's live events (socket.io). */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

import type { Server as HttpServer } from 'node:http';
import { Server as SocketServer } from 'socket.io';
import type { Logger } from '../logger';
import { authenticateSession } from '../services/auth.service';
import { ApiError } from '../http/errors';

/** Room that carries one session's live events. */
export const sessionRoom = (sessionId: string) => `session:${sessionId}`;

/**
 * socket.io on path /socket.io. A client authenticates with its session token
 * (`io(url, { auth: { token } })`) and joins its own session's room, and no other.
 */
export function createSocketServer(httpServer: HttpServer, logger: Logger): SocketServer {
  const log = logger.child({ component: 'socket.io' });
  const io = new SocketServer(httpServer, { path: '/socket.io', serveClient: false, cors: { origin: false } });
  io.use((socket, next) => {
    const auth = socket.handshake.auth as { token?: unknown };
    const headerToken = socket.handshake.headers.token;
    const token = typeof auth.token === 'string' ? auth.token : typeof headerToken === 'string' ? headerToken : undefined;
    authenticateSession(token).then(
      (session) => {
        socket.data.sessionId = session.id;
        next();
      },
      (error: unknown) => {
        if (!(error instanceof ApiError)) log.error({ err: error }, 'socket.io authentication failed');
        next(new Error(error instanceof ApiError ? error.message : 'authentication failed'));
      },
    );
  });
  io.on('connection', (socket) => {
    const sessionId = socket.data.sessionId as string;
    void socket.join(sessionRoom(sessionId));
    socket.emit('ready', { sessionId });
  });
  return io;
}

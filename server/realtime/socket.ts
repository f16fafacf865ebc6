import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { Server as SocketServer, type Socket } from 'socket.io';
import type { Logger } from '../logger';
import { authenticateSession } from '../services/auth.service';
import { requireSessionAccess } from '../services/access.service';
import { actorFromCookieHeader } from '../auth/dashboard-session';
import { isSameOrigin } from '../auth/same-origin';
import type { Actor } from '../auth/actor';
import { ApiError } from '../http/errors';

import { sessionRoom, sessionTypeRoom } from './rooms';
import { parseEventChoice, type EventChoice } from './event-filter';
import { coalesceWrites } from '../lib/coalesce-writes';

export { sessionRoom };

/** Most sessions one dashboard connection follows at once. */
const MAX_SUBSCRIPTIONS = 500;

function sessionToken(socket: Socket): string | undefined {
  const auth = socket.handshake.auth as { token?: unknown };
  const headerToken = socket.handshake.headers.token;
  return typeof auth.token === 'string' ? auth.token : typeof headerToken === 'string' ? headerToken : undefined;
}

/** A cookie-authenticated connection must come from our own pages (no cross-site WebSocket hijacking). */
function fromOurPages(socket: Socket, trustProxy: boolean): boolean {
  const { origin, host } = socket.handshake.headers;
  const forwarded = socket.handshake.headers['x-forwarded-host'];
  return isSameOrigin(origin, trustProxy && typeof forwarded === 'string' ? forwarded : host);
}

/**
 * socket.io on path /socket.io. Two ways in:
 *  - a session token (`io(url, { auth: { token } })`): joins that session's room, and no other;
 *    `auth.events` (say `['Message', 'ReadReceipt']`) narrows it to those event types;
 *  - the dashboard's sign-in cookie: the client then emits `subscribe` with session ids and
 *    joins the rooms of those the account may reach (all for an admin, its own for a tenant).
 * Every session event arrives as `event`; webhook delivery outcomes as `delivery`.
 */
export function createSocketServer(httpServer: HttpServer, logger: Logger, options: { trustProxy?: boolean } = {}): SocketServer {
  const log = logger.child({ component: 'socket.io' });
  // A send burst gives each client an event per message and per receipt: one system call per turn.
  httpServer.prependListener('upgrade', (req: IncomingMessage, socket: Duplex) => {
    if ((req.url ?? '').startsWith('/socket.io/')) coalesceWrites(socket);
  });
  const io = new SocketServer(httpServer, { path: '/socket.io', serveClient: false, cors: { origin: false } });
  io.use((socket, next) => {
    const fail = (error: unknown) => {
      if (!(error instanceof ApiError)) log.error({ err: error }, 'socket.io authentication failed');
      next(new Error(error instanceof ApiError ? error.message : 'authentication failed'));
    };
    const token = sessionToken(socket);
    if (token !== undefined) {
      let events: EventChoice;
      try {
        events = parseEventChoice((socket.handshake.auth as { events?: unknown }).events);
      } catch (error) {
        return next(error as Error);
      }
      authenticateSession(token).then((session) => {
        socket.data.sessionId = session.id;
        socket.data.events = events;
        next();
      }, fail);
      return;
    }
    if (!fromOurPages(socket, options.trustProxy ?? false)) return next(new Error('cross-site connection refused'));
    actorFromCookieHeader(socket.handshake.headers.cookie).then((actor) => {
      if (!actor) return next(new Error('authentication failed: send a session token, or sign in to the dashboard'));
      socket.data.actor = actor;
      next();
    }, fail);
  });
  io.on('connection', (socket) => {
    const sessionId = socket.data.sessionId as string | undefined;
    if (sessionId) {
      const events = socket.data.events as EventChoice;
      void socket.join(events ? events.map((type) => sessionTypeRoom(sessionId, type)) : [sessionRoom(sessionId)]);
      socket.emit('ready', { sessionId, events: events ?? 'All' });
      return;
    }
    const actor = socket.data.actor as Actor;
    socket.on('subscribe', (ids: unknown, ack?: unknown) => {
      const list = Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string').slice(0, MAX_SUBSCRIPTIONS) : [];
      void Promise.all(
        list.map((id) =>
          requireSessionAccess(actor, id).then(
            () => id,
            (error: unknown) => {
              if (!(error instanceof ApiError)) log.error({ err: error, sessionId: id }, 'socket.io subscription check failed');
              return null;
            },
          ),
        ),
      ).then((checked) => {
        const joined = checked.filter((id): id is string => id !== null);
        const current = [...socket.rooms].filter((room) => room.startsWith('session:'));
        if (current.length + joined.length > MAX_SUBSCRIPTIONS) return reply(ack, { joined: [], refused: list, error: 'too many subscriptions' });
        void socket.join(joined.map(sessionRoom));
        reply(ack, { joined, refused: list.filter((id) => !joined.includes(id)) });
      });
    });
    socket.on('unsubscribe', (ids: unknown) => {
      if (!Array.isArray(ids)) return;
      for (const id of ids) if (typeof id === 'string') void socket.leave(sessionRoom(id));
    });
    socket.emit('ready', { accountId: actor.id });
  });
  return io;
}

function reply(ack: unknown, answer: { joined: string[]; refused: string[]; error?: string }): void {
  if (typeof ack === 'function') (ack as (a: typeof answer) => void)(answer);
}

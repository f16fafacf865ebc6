'use client';

import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { io, type Socket } from 'socket.io-client';

/** A session event as the server publishes it (see the event reference in docs/api-guide.md). */
export interface LiveEvent {
  id: string;
  type: string;
  sessionId: string;
  timestamp: string;
  data: Record<string, unknown>;
}

/** A webhook attempt's recorded outcome. */
export interface LiveDelivery {
  sessionId: string;
  eventId: string;
  status: 'delivered' | 'pending' | 'dead';
  statusCode: number | null;
}

type Listener = { sessions: Set<string>; onEvent?: (e: LiveEvent) => void; onDelivery?: (d: LiveDelivery) => void };

/** The live connection: being opened, up, or lost and being reopened. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

interface Live {
  connected: boolean;
  status: LiveStatus;
  listen(listener: Listener): () => void;
}

const LiveContext = createContext<Live | null>(null);

/**
 * One socket.io connection per tab, authenticated by the sign-in cookie. Components say which
 * sessions they follow; the provider subscribes to the union (the server checks each one).
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const queryClient = useQueryClient();
  const socketRef = useRef<Socket | null>(null);
  const listeners = useRef(new Set<Listener>());
  const [live] = useState<Live>(() => ({
    connected: false,
    status: 'connecting',
    listen(listener) {
      listeners.current.add(listener);
      socketRef.current?.emit('subscribe', [...listener.sessions]);
      return () => {
        listeners.current.delete(listener);
        const still = new Set([...listeners.current].flatMap((l) => [...l.sessions]));
        const gone = [...listener.sessions].filter((id) => !still.has(id));
        if (gone.length) socketRef.current?.emit('unsubscribe', gone);
      };
    },
  }));

  useEffect(() => {
    const socket = io({ path: '/socket.io', transports: ['websocket'], withCredentials: true });
    socketRef.current = socket;
    const resubscribe = () => {
      const all = new Set([...listeners.current].flatMap((l) => [...l.sessions]));
      if (all.size) socket.emit('subscribe', [...all]);
    };
    let lost = false;
    socket.on('connect', () => {
      setStatus('live');
      // Back after an outage: what changed meanwhile was not pushed here, so read it again.
      if (lost) void queryClient.invalidateQueries();
      lost = false;
    });
    socket.on('ready', resubscribe);
    const down = () => {
      lost = true;
      setStatus('reconnecting');
    };
    socket.on('disconnect', (reason) => {
      down();
      // The server closed this connection on purpose (say, while restarting): socket.io does not retry those.
      if (reason === 'io server disconnect') socket.connect();
    });
    let retry: ReturnType<typeof setTimeout> | undefined;
    socket.on('connect_error', () => {
      down();
      // Refused by the server (not a network failure), which socket.io does not retry: try again later.
      if (!socket.active) retry = setTimeout(() => socket.connect(), 5_000);
    });
    // The browser itself lost the network: say so at once rather than after the next missed ping.
    const offline = () => down();
    window.addEventListener('offline', offline);
    socket.on('event', (event: LiveEvent) => {
      for (const l of listeners.current) if (l.sessions.has(event.sessionId)) l.onEvent?.(event);
    });
    socket.on('delivery', (delivery: LiveDelivery) => {
      for (const l of listeners.current) if (l.sessions.has(delivery.sessionId)) l.onDelivery?.(delivery);
    });
    return () => {
      window.removeEventListener('offline', offline);
      clearTimeout(retry);
      socket.close();
      socketRef.current = null;
    };
  }, [queryClient]);

  return <LiveContext.Provider value={{ ...live, connected: status === 'live', status }}>{children}</LiveContext.Provider>;
}

/** Whether the live connection is up (for the "live" indicator). */
export function useLiveConnected(): boolean {
  return useContext(LiveContext)?.connected ?? false;
}

/** The live connection's status (for the indicator and the "reconnecting" banner). */
export function useLiveStatus(): LiveStatus {
  return useContext(LiveContext)?.status ?? 'connecting';
}

/** Calls the handlers for live events and deliveries of the given sessions. */
export function useLive(sessionIds: string[], handlers: { onEvent?: (e: LiveEvent) => void; onDelivery?: (d: LiveDelivery) => void }): void {
  const live = useContext(LiveContext);
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;
  const key = [...sessionIds].sort().join(',');
  useEffect(() => {
    if (!live || !key) return;
    return live.listen({
      sessions: new Set(key.split(',')),
      onEvent: (e) => handlersRef.current.onEvent?.(e),
      onDelivery: (d) => handlersRef.current.onDelivery?.(d),
    });
  }, [live, key]);
}

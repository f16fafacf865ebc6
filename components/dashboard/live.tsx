'use client';

import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
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

interface Live {
  connected: boolean;
  listen(listener: Listener): () => void;
}

const LiveContext = createContext<Live | null>(null);

/**
 * One socket.io connection per tab, authenticated by the sign-in cookie. Components say which
 * sessions they follow; the provider subscribes to the union (the server checks each one).
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const [connected, setConnected] = useState(false);
  const socketRef = useRef<Socket | null>(null);
  const listeners = useRef(new Set<Listener>());
  const [live] = useState<Live>(() => ({
    connected: false,
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
    socket.on('connect', () => setConnected(true));
    socket.on('ready', resubscribe);
    socket.on('disconnect', () => setConnected(false));
    socket.on('event', (event: LiveEvent) => {
      for (const l of listeners.current) if (l.sessions.has(event.sessionId)) l.onEvent?.(event);
    });
    socket.on('delivery', (delivery: LiveDelivery) => {
      for (const l of listeners.current) if (l.sessions.has(delivery.sessionId)) l.onDelivery?.(delivery);
    });
    return () => {
      socket.close();
      socketRef.current = null;
    };
  }, []);

  return <LiveContext.Provider value={{ ...live, connected }}>{children}</LiveContext.Provider>;
}

/** Whether the live connection is up (for the "live" indicator). */
export function useLiveConnected(): boolean {
  return useContext(LiveContext)?.connected ?? false;
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

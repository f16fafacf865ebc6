'use client';

import { EventHistory } from '../events/event-history';

/** The session's event stream: its stored history, then live events, with type and text filters. */
export function EventStream({ sessionId, sessionName, className = '' }: { sessionId: string; sessionName: string; className?: string }) {
  return <EventHistory sessions={[{ id: sessionId, name: sessionName }]} fixedSessionId={sessionId} className={className} />;
}

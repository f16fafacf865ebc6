'use client';

import { useState } from 'react';
import { useLive, type LiveEvent } from '../live';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { Pill, chatLabel, type PillTone } from './shared';

const MAX_EVENTS = 200;

const TYPE_TONES: Record<string, PillTone> = {
  Connected: 'green',
  PairSuccess: 'green',
  Disconnected: 'amber',
  StateChanged: 'blue',
  QR: 'blue',
  PairingCode: 'blue',
  LoggedOut: 'red',
  Message: 'green',
};

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The JID of a `{ jid, lid }` user reference (or a bare string). */
function userOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const ref = value as { jid?: unknown; lid?: unknown };
    return str(ref.jid) ?? str(ref.lid);
  }
  return null;
}

function compactJson(data: unknown, max = 140): string {
  const json = JSON.stringify(data) ?? '';
  return json.length > max ? `${json.slice(0, max - 1)}…` : json;
}

/** One line that says what happened. */
export function summarise(event: LiveEvent): string {
  const d = event.data;
  switch (event.type) {
    case 'Message': {
      const who = d.fromMe === true ? `You → ${chatLabel(userOf(d.chat))}` : chatLabel(userOf(d.from) ?? userOf(d.sender) ?? userOf(d.chat));
      const name = str(d.pushName);
      const text = str(d.text) ?? (str(d.type) ? `[${str(d.type)}]` : '[no text]');
      return `${who}${name && d.fromMe !== true ? ` (${name})` : ''}: ${text}`;
    }
    case 'StateChanged':
      return `${str(d.previous) ?? '?'} → ${str(d.state) ?? '?'}${str(d.reason) ? ` (${str(d.reason)})` : ''}`;
    case 'QR':
      return 'new QR code';
    case 'PairingCode':
      return `pairing code for +${str(d.phone) ?? '?'}`;
    case 'Connected':
      return `connected as ${chatLabel(str(d.jid))}${str(d.pushName) ? ` (${str(d.pushName)})` : ''}`;
    case 'Disconnected':
      return `${str(d.reason) ?? 'disconnected'}${d.willReconnect === true ? ', reconnecting' : ''}`;
    case 'LoggedOut':
      return `logged out by ${str(d.by) ?? '?'}${str(d.reason) ? `: ${str(d.reason)}` : ''}`;
    case 'Test':
      return str(d.message) ?? 'test event';
    default:
      return compactJson(d);
  }
}

/** Every live event of the session as it happens (this tab only; nothing is stored). */
export function EventStream({ sessionId, className = '' }: { sessionId: string; className?: string }) {
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [paused, setPaused] = useState(false);
  const [held, setHeld] = useState<LiveEvent[]>([]);

  const add = (list: LiveEvent[], event: LiveEvent) => (list.some((e) => e.id === event.id) ? list : [event, ...list].slice(0, MAX_EVENTS));
  useLive([sessionId], {
    onEvent: (event) => {
      if (paused) setHeld((list) => add(list, event));
      else setEvents((list) => add(list, event));
    },
  });

  function resume() {
    setEvents((list) => {
      const ids = new Set(held.map((e) => e.id));
      return [...held, ...list.filter((e) => !ids.has(e.id))].slice(0, MAX_EVENTS);
    });
    setHeld([]);
    setPaused(false);
  }

  return (
    <Card
      className={className}
      title="Live events"
      description={`Everything this session emits, newest first (last ${MAX_EVENTS}).`}
      actions={
        <>
          {paused ? (
            <Button variant="secondary" onClick={resume}>Resume{held.length ? ` (${held.length} new)` : ''}</Button>
          ) : (
            <Button variant="secondary" onClick={() => setPaused(true)}>Pause</Button>
          )}
          <Button variant="ghost" onClick={() => { setEvents([]); setHeld([]); }} disabled={events.length === 0 && held.length === 0}>
            Clear
          </Button>
        </>
      }
    >
      <div data-testid="event-stream" data-paused={paused} role="log" aria-label="Live events" className="max-h-[28rem] overflow-y-auto">
        {events.length === 0 ? (
          <p className="flex items-center justify-center gap-2 py-8 text-center text-sm text-slate-500">
            {!paused && <span className="h-2 w-2 animate-pulse rounded-full bg-emerald-500" aria-hidden />}
            {paused ? 'Paused: new events are held until you resume.' : 'Waiting for events…'}
          </p>
        ) : (
          <ol className="divide-y divide-slate-100">
            {events.map((event) => (
              <li key={event.id} data-testid="event-item" data-type={event.type} data-event-id={event.id} className="py-2">
                <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1 text-sm">
                  <time dateTime={event.timestamp} title={new Date(event.timestamp).toLocaleString()} className="font-mono text-xs tabular-nums text-slate-500">
                    {new Date(event.timestamp).toLocaleTimeString()}
                  </time>
                  <Pill tone={TYPE_TONES[event.type] ?? 'grey'}>{event.type}</Pill>
                  <span className="min-w-0 flex-1 break-words text-slate-700">{summarise(event)}</span>
                </div>
                <details className="mt-1 text-xs">
                  <summary className="cursor-pointer select-none text-slate-500 hover:text-slate-700">Raw JSON</summary>
                  <pre className="mt-1 max-h-64 overflow-auto rounded-lg bg-slate-900 p-3 font-mono text-[11px] leading-relaxed text-slate-100">
                    {JSON.stringify(event, null, 2)}
                  </pre>
                </details>
              </li>
            ))}
          </ol>
        )}
      </div>
    </Card>
  );
}

'use client';

import type { LiveEvent } from '../live';
import { Pill, chatLabel, type PillTone } from '../session/shared';

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

/** One event: time, type, a line saying what happened, the session (in a multi-session stream) and the raw JSON. */
export function EventItem({ event, sessionName }: { event: LiveEvent; sessionName?: string }) {
  return (
    <li data-testid="event-item" data-type={event.type} data-event-id={event.id} data-session-id={event.sessionId} className="py-2">
      <div className="flex min-w-0 flex-wrap items-baseline gap-x-2 gap-y-1 text-sm">
        <time dateTime={event.timestamp} title={new Date(event.timestamp).toLocaleString()} className="font-mono text-xs tabular-nums text-slate-500">
          {new Date(event.timestamp).toLocaleTimeString()}
        </time>
        <Pill tone={TYPE_TONES[event.type] ?? 'grey'}>{event.type}</Pill>
        {sessionName && <span data-testid="event-session" className="max-w-[10rem] truncate text-xs font-medium text-slate-500">{sessionName}</span>}
        <span className="min-w-0 flex-1 break-words text-slate-700">{summarise(event)}</span>
      </div>
      <details className="mt-1 text-xs">
        <summary className="cursor-pointer select-none text-slate-500 hover:text-slate-700">Raw JSON</summary>
        <pre className="mt-1 max-h-64 overflow-auto rounded-lg bg-slate-900 p-3 font-mono text-[11px] leading-relaxed text-slate-100">
          {JSON.stringify(event, null, 2)}
        </pre>
      </details>
    </li>
  );
}

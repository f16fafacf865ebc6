'use client';

import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { trpc, errorMessage } from '../trpc';
import { useLive, type LiveEvent } from '../live';
import { Button } from '../../ui/button';
import { Card, ErrorNote, Spinner } from '../../ui/card';
import { inputClass } from '../../ui/field';
import { SearchField } from '../../ui/search-field';
import { EVENT_TYPES } from '../../../server/events/types';
import { EventItem } from './event-item';

const PAGE = 100;
/** Most events kept on the page (older ones are a "Load older" away). */
const MAX_SHOWN = 1000;

export interface HistoryEvent extends LiveEvent {
  sessionName?: string;
}

/** Whether a live event passes the filters the stored ones were fetched with (the server's rule: type, then text in type or data). */
function matches(event: LiveEvent, type: string, search: string): boolean {
  if (type && event.type !== type) return false;
  if (!search) return true;
  const needle = search.toLowerCase();
  return event.type.toLowerCase().includes(needle) || JSON.stringify(event.data).toLowerCase().includes(needle);
}

/**
 * The event stream with its history: stored events (the event log) newest first, live ones added
 * on top as they happen, filtered by type and text; across several sessions with a session filter.
 */
export function EventHistory({
  sessions,
  fixedSessionId,
  title = 'Live events',
  className = '',
}: {
  /** The sessions the stream covers (one for a session's page). */
  sessions: Array<{ id: string; name: string }>;
  /** A session page's own session: no session filter. */
  fixedSessionId?: string;
  title?: string;
  className?: string;
}) {
  const [type, setType] = useState('');
  const [search, setSearch] = useState('');
  const [sessionFilter, setSessionFilter] = useState('');
  const [paused, setPaused] = useState(false);
  const [live, setLive] = useState<HistoryEvent[]>([]);
  const [held, setHeld] = useState<HistoryEvent[]>([]);
  const sessionId = fixedSessionId ?? (sessionFilter || undefined);
  const names = new Map(sessions.map((s) => [s.id, s.name]));

  const history = useInfiniteQuery({
    queryKey: ['event.list', sessionId ?? 'all', type, search],
    queryFn: ({ pageParam }) => trpc.event.list.query({ sessionId, type: type || undefined, search: search || undefined, before: pageParam, limit: PAGE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.length < PAGE ? undefined : last[last.length - 1]?.seq),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
  });
  // New filters start the live part afresh (the fetched history covers what came before).
  useEffect(() => {
    setLive([]);
    setHeld([]);
  }, [sessionId, type, search]);

  const watched = fixedSessionId ? [fixedSessionId] : sessionFilter ? [sessionFilter] : sessions.map((s) => s.id);
  const add = (list: HistoryEvent[], event: HistoryEvent) => (list.some((e) => e.id === event.id) ? list : [event, ...list].slice(0, MAX_SHOWN));
  useLive(watched, {
    onEvent: (event) => {
      if (!matches(event, type, search)) return;
      if (paused) setHeld((list) => add(list, event));
      else setLive((list) => add(list, event));
    },
  });

  function resume() {
    setLive((list) => {
      const ids = new Set(held.map((e) => e.id));
      return [...held, ...list.filter((e) => !ids.has(e.id))].slice(0, MAX_SHOWN);
    });
    setHeld([]);
    setPaused(false);
  }

  const seen = new Set<string>();
  const events = [...live, ...(history.data?.pages.flat() ?? [])].filter((e) => (seen.has(e.id) ? false : (seen.add(e.id), true)));
  const multi = !fixedSessionId;

  return (
    <Card
      className={className}
      title={title}
      description={multi ? 'Every event of the sessions you can see, newest first: stored history, then live.' : 'Everything this session emits, newest first: stored history, then live.'}
      actions={
        paused ? (
          <Button variant="secondary" onClick={resume}>Resume{held.length ? ` (${held.length} new)` : ''}</Button>
        ) : (
          <Button variant="secondary" onClick={() => setPaused(true)}>Pause</Button>
        )
      }
    >
      <div className="mb-3 grid min-w-0 gap-2 sm:grid-cols-[repeat(auto-fit,minmax(10rem,1fr))]">
        {multi && (
          <select aria-label="Session" value={sessionFilter} onChange={(e) => setSessionFilter(e.target.value)} className={inputClass} data-testid="event-session-filter">
            <option value="">All sessions</option>
            {sessions.map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
          </select>
        )}
        <select aria-label="Event type" value={type} onChange={(e) => setType(e.target.value)} className={inputClass} data-testid="event-type-filter">
          <option value="">All types</option>
          {EVENT_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
        <SearchField label="Search events" placeholder="Search events…" onSearch={setSearch} />
      </div>
      <div data-testid="event-stream" data-paused={paused} role="log" aria-label="Live events" className={`max-h-[28rem] overflow-y-auto ${history.isPlaceholderData ? 'opacity-60' : ''}`}>
        {history.isPending ? (
          <Spinner label="Loading events" />
        ) : history.error && events.length === 0 ? (
          <ErrorNote>{errorMessage(history.error)}</ErrorNote>
        ) : events.length === 0 ? (
          <p className="flex items-center justify-center gap-2 py-8 text-center text-sm text-slate-500">
            {!paused && <span className="h-2 w-2 animate-pulse rounded-full bg-emerald-500" aria-hidden />}
            {type || search ? 'No events match.' : paused ? 'Paused: new events are held until you resume.' : 'Waiting for events…'}
          </p>
        ) : (
          <>
            <ol className="divide-y divide-slate-100">
              {events.map((event) => (
                <EventItem key={event.id} event={event} sessionName={multi ? (event.sessionName ?? names.get(event.sessionId) ?? event.sessionId) : undefined} />
              ))}
            </ol>
            {history.hasNextPage && (
              <div className="flex justify-center py-3">
                <Button variant="secondary" onClick={() => void history.fetchNextPage()} busy={history.isFetchingNextPage}>Load older</Button>
              </div>
            )}
          </>
        )}
      </div>
    </Card>
  );
}

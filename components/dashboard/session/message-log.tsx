'use client';

import { keepPreviousData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { trpc, errorMessage } from '../trpc';
import { useLive } from '../live';
import { Button } from '../../ui/button';
import { Card, EmptyState, ErrorNote, Spinner } from '../../ui/card';
import { SearchField } from '../../ui/search-field';
import { TimeAgo } from '../../ui/time';
import { Pill, chatLabel, statusTone, useCoalesced } from './shared';
import { DataTable, type Column } from '../../ui/table';
import { LabelChip, useLabels } from './label-chip';

const MESSAGE_COLUMNS: Column[] = [{ label: 'Time' }, { label: 'Direction' }, { label: 'Chat' }, { label: 'Type' }, { label: 'Text' }, { label: 'Status' }];

const PAGE_SIZE = 50;
const LIVE_TYPES = new Set(['Message', 'MessageUpdate', 'ReadReceipt']);

export const messagesKey = (sessionId: string) => ['message.list', sessionId] as const;

/** The session's stored messages (sent and received), searchable, newest first, updated live. */
export function MessageLog({ sessionId, className = '' }: { sessionId: string; className?: string }) {
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const messages = useInfiniteQuery({
    queryKey: [...messagesKey(sessionId), search],
    queryFn: ({ pageParam }) => trpc.message.list.query({ sessionId, search: search || undefined, before: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.length < PAGE_SIZE ? undefined : last[last.length - 1]?.timestamp),
    placeholderData: keepPreviousData,
  });
  const labels = useLabels(sessionId);
  const refresh = useCoalesced(() => void queryClient.invalidateQueries({ queryKey: messagesKey(sessionId) }), 500);
  useLive([sessionId], {
    onEvent: (event) => {
      if (LIVE_TYPES.has(event.type)) refresh();
    },
  });

  // Pages can overlap when new messages arrive between fetches: show each message once.
  const seen = new Set<string>();
  const rows = (messages.data?.pages.flat() ?? []).filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));

  return (
    <Card
      className={className}
      title="Messages"
      description="Messages this session sent and received, as stored by WaGo."
      actions={
        <div className="w-full sm:w-72">
          <SearchField label="Search messages" placeholder="Search text…" onSearch={setSearch} />
        </div>
      }
    >
      {messages.isPending ? (
        <Spinner label="Loading messages" />
      ) : messages.error && rows.length === 0 ? (
        <ErrorNote>{errorMessage(messages.error)}</ErrorNote>
      ) : rows.length === 0 ? (
        <EmptyState title={search ? 'No messages match' : 'No messages yet'}>
          {search ? `Nothing found for “${search}”.` : 'Messages appear here as the session sends and receives them.'}
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-3">
          {messages.error && <ErrorNote>{errorMessage(messages.error)}</ErrorNote>}
          <DataTable columns={MESSAGE_COLUMNS} minWidth="48rem" className={messages.isPlaceholderData ? 'opacity-60' : ''} busy={messages.isFetching}>
                {rows.map((m) => (
                  <tr key={m.id} data-testid="message-row" data-message-id={m.messageId} data-direction={m.fromMe ? 'out' : 'in'} className="align-top hover:bg-slate-50">
                    <td className="whitespace-nowrap px-5 py-3 text-slate-600"><TimeAgo iso={m.timestamp} /></td>
                    <td className="px-5 py-3">
                      <Pill tone={m.fromMe ? 'blue' : 'grey'}>{m.fromMe ? 'out' : 'in'}</Pill>
                      <span className="sr-only">{m.fromMe ? 'sent' : 'received'}</span>
                    </td>
                    <td className="whitespace-nowrap px-5 py-3 font-mono text-slate-700" title={m.chatJid}>
                      {chatLabel(m.chatJid)}
                      {!m.fromMe && m.senderJid && m.senderJid !== m.chatJid && (
                        <div className="font-sans text-xs text-slate-500">from {chatLabel(m.senderJid)}</div>
                      )}
                      {labels.chatLabels(m.chatJid).length > 0 && (
                        <div className="mt-1 flex flex-wrap gap-1">{labels.chatLabels(m.chatJid).map((l) => <LabelChip key={l.id} label={l} on="chat" />)}</div>
                      )}
                    </td>
                    <td className="px-5 py-3 text-slate-600">{m.type ?? '—'}</td>
                    <td className="max-w-[24rem] px-5 py-3 text-slate-800">
                      {m.text ? <span className="line-clamp-3 whitespace-pre-wrap break-words" title={m.text}>{m.text}</span> : <span className="text-slate-400">—</span>}
                      {labels.messageLabels(m.chatJid, m.messageId).length > 0 && (
                        <div className="mt-1 flex flex-wrap gap-1">{labels.messageLabels(m.chatJid, m.messageId).map((l) => <LabelChip key={l.id} label={l} on="message" />)}</div>
                      )}
                    </td>
                    <td className="px-5 py-3"><Pill tone={statusTone(m.status)}>{m.status}</Pill></td>
                  </tr>
                ))}
              </DataTable>
          {messages.hasNextPage && (
            <div className="flex justify-center">
              <Button variant="secondary" onClick={() => void messages.fetchNextPage()} busy={messages.isFetchingNextPage}>
                Load older
              </Button>
            </div>
          )}
        </div>
      )}
    </Card>
  );
}

'use client';

import Link from 'next/link';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { trpc, errorMessage } from '../../trpc';
import { useLive } from '../../live';
import { Button } from '../../../ui/button';
import { EmptyState, ErrorNote, Spinner } from '../../../ui/card';
import { StateBadge } from '../../../ui/state-badge';
import { useCoalesced } from '../shared';
import { ConversationList } from './conversation-list';
import { Thread } from './thread';
import type { Reply } from './composer';

const PAGE = 50;
/** Events that change what the inbox shows. */
const LIVE_TYPES = new Set(['Message', 'MessageUpdate', 'ReadReceipt', 'ChatRead', 'ContactUpdate', 'GroupUpdate']);

export const inboxKey = (sessionId: string) => ['inbox', sessionId] as const;

/**
 * The session's chat inbox: conversations on the left (on a phone: the list, then the open
 * conversation), the thread on the right; everything follows the session's live events.
 */
export function Inbox({ sessionId, sessionName, state }: { sessionId: string; sessionName: string; state: string }) {
  const queryClient = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const conversations = useInfiniteQuery({
    queryKey: [...inboxKey(sessionId), 'conversations'],
    queryFn: ({ pageParam }) => trpc.inbox.conversations.query({ sessionId, limit: PAGE, before: pageParam }),
    initialPageParam: undefined as { timestamp: string; chatJid: string } | undefined,
    getNextPageParam: (last) => {
      const tail = last[last.length - 1];
      return last.length < PAGE || !tail ? undefined : { timestamp: tail.lastMessage.timestamp, chatJid: tail.chatJid };
    },
  });
  const seen = new Set<string>();
  const list = (conversations.data?.pages.flat() ?? []).filter((c) => (seen.has(c.chatJid) ? false : (seen.add(c.chatJid), true)));
  const open = list.find((c) => c.chatJid === selected) ?? null;

  // The message store writes in short batches: refetch a moment after the events, once per burst.
  const refresh = useCoalesced(() => void queryClient.invalidateQueries({ queryKey: inboxKey(sessionId) }), 400);
  useLive([sessionId], {
    onEvent: (event) => {
      if (LIVE_TYPES.has(event.type)) refresh();
    },
  });

  const reply = useMutation({
    mutationFn: (r: Reply & { chatJid: string }) =>
      trpc.inbox.reply.mutate({
        sessionId,
        chatJid: r.chatJid,
        text: r.text || undefined,
        attachment: r.attachment,
        quotedId: r.quoted?.messageId,
        quotedSender: r.quoted && !r.quoted.fromMe ? (r.quoted.senderJid ?? undefined) : undefined,
      }),
    onSuccess: () => refresh(),
  });
  const markRead = useMutation({
    mutationFn: (chatJid: string) => trpc.inbox.markRead.mutate({ sessionId, chatJid }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: inboxKey(sessionId) }),
  });
  const actionError = reply.error ? errorMessage(reply.error) : markRead.error ? errorMessage(markRead.error) : null;

  return (
    <div className="flex min-w-0 flex-col gap-4" data-testid="inbox" data-session-id={sessionId}>
      <div className="flex min-w-0 flex-wrap items-center gap-x-4 gap-y-2">
        <Link href={`/dashboard/sessions/${sessionId}`} className="text-sm font-medium text-slate-500 hover:text-emerald-700 hover:underline">
          ← {sessionName}
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Inbox</h1>
        <StateBadge state={state} />
      </div>
      <div className="grid h-[calc(100dvh-12rem)] min-h-[28rem] min-w-0 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm md:grid-cols-[20rem_1fr]">
        <div className={`min-h-0 min-w-0 overflow-y-auto border-slate-200 md:border-r ${open ? 'hidden md:block' : 'block'}`}>
          {conversations.isPending ? (
            <Spinner label="Loading conversations" />
          ) : conversations.error && list.length === 0 ? (
            <div className="p-4"><ErrorNote>{errorMessage(conversations.error)}</ErrorNote></div>
          ) : list.length === 0 ? (
            <div className="p-4">
              <EmptyState title="No conversations yet">Messages this session sends and receives appear here as conversations.</EmptyState>
            </div>
          ) : (
            <>
              <ConversationList conversations={list} selected={selected} onSelect={(jid) => { reply.reset(); markRead.reset(); setSelected(jid); }} />
              {conversations.hasNextPage && (
                <div className="flex justify-center p-3">
                  <Button variant="secondary" onClick={() => void conversations.fetchNextPage()} busy={conversations.isFetchingNextPage}>Load more</Button>
                </div>
              )}
            </>
          )}
        </div>
        <div className={`min-h-0 min-w-0 ${open ? 'block' : 'hidden md:block'}`}>
          {open ? (
            <Thread
              sessionId={sessionId}
              conversation={open}
              onBack={() => setSelected(null)}
              sending={reply.isPending}
              marking={markRead.isPending}
              actionError={actionError}
              onMarkRead={() => markRead.mutate(open.chatJid)}
              onReply={async (r) => {
                try {
                  await reply.mutateAsync({ ...r, chatJid: open.chatJid });
                  return true;
                } catch {
                  return false; // shown from reply.error
                }
              }}
            />
          ) : (
            <div className="flex h-full items-center justify-center p-6 text-sm text-slate-500">Choose a conversation.</div>
          )}
        </div>
      </div>
    </div>
  );
}

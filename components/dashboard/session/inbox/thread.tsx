'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { trpc, errorMessage } from '../../trpc';
import { Button } from '../../../ui/button';
import { ErrorNote, Spinner } from '../../../ui/card';
import { Avatar, type Conversation } from './conversation-list';
import { Bubble, type ThreadMessage } from './bubble';
import { Composer, type Reply } from './composer';

const PAGE = 50;

export const threadKey = (sessionId: string, chatJid: string) => ['inbox', sessionId, 'thread', chatJid] as const;

/** One conversation: its messages as bubbles (oldest at the top), mark as read, and the reply box. */
export function Thread({
  sessionId,
  conversation,
  onBack,
  onReply,
  onMarkRead,
  sending,
  marking,
  actionError,
}: {
  sessionId: string;
  conversation: Conversation;
  onBack: () => void;
  onReply: (reply: Reply) => Promise<boolean>;
  onMarkRead: () => void;
  sending: boolean;
  marking: boolean;
  actionError: string | null;
}) {
  const chatJid = conversation.chatJid;
  const [quoted, setQuoted] = useState<ThreadMessage | null>(null);
  const thread = useInfiniteQuery({
    queryKey: threadKey(sessionId, chatJid),
    queryFn: ({ pageParam }) => trpc.inbox.thread.query({ sessionId, chatJid, before: pageParam, limit: PAGE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.length < PAGE ? undefined : last[last.length - 1]?.timestamp),
  });
  const seen = new Set<string>();
  const newestFirst = (thread.data?.pages.flat() ?? []).filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
  const messages = [...newestFirst].reverse();
  const newestId = newestFirst[0]?.id;

  // Keep the newest message in view as messages arrive (not when older pages load above).
  const end = useRef<HTMLDivElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [newestId, chatJid]);
  useEffect(() => setQuoted(null), [chatJid]);

  return (
    <section data-testid="thread" data-chat-jid={chatJid} className="flex h-full min-h-0 min-w-0 flex-col" aria-label={`Conversation with ${conversation.name}`}>
      <header className="flex min-w-0 items-center gap-3 border-b border-slate-200 bg-white px-3 py-2">
        <button type="button" onClick={onBack} className="shrink-0 rounded-md px-2 py-1 text-sm text-slate-600 hover:bg-slate-100 md:hidden" aria-label="Back to the conversations">
          ←
        </button>
        <Avatar name={conversation.name} group={conversation.isGroup} />
        <div className="min-w-0 flex-1">
          <h2 className="truncate font-semibold text-slate-900" data-testid="thread-name">{conversation.name}</h2>
          <p className="truncate font-mono text-xs text-slate-500">{conversation.phone ? `+${conversation.phone}` : chatJid}</p>
        </div>
        {conversation.unread > 0 && (
          <Button variant="secondary" onClick={onMarkRead} busy={marking} className="shrink-0">
            Mark as read
          </Button>
        )}
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto bg-slate-50 px-3 py-4" data-testid="thread-scroll">
        {thread.hasNextPage && (
          <div className="mb-3 flex justify-center">
            <Button variant="secondary" onClick={() => void thread.fetchNextPage()} busy={thread.isFetchingNextPage}>Load older</Button>
          </div>
        )}
        {thread.isPending ? (
          <Spinner label="Loading messages" />
        ) : thread.error && messages.length === 0 ? (
          <ErrorNote>{errorMessage(thread.error)}</ErrorNote>
        ) : (
          <ol className="flex flex-col gap-4" aria-label="Messages">
            {messages.map((m) => (
              <Bubble key={m.id} sessionId={sessionId} chatJid={chatJid} m={m} showSender={conversation.isGroup} onReply={setQuoted} />
            ))}
          </ol>
        )}
        <div ref={end} />
      </div>
      {actionError && <div className="border-t border-rose-200 bg-rose-50 px-3 py-2 text-sm text-rose-700" role="alert">{actionError}</div>}
      <Composer
        busy={sending}
        quoted={quoted}
        onClearQuote={() => setQuoted(null)}
        onSend={async (reply) => {
          const sent = await onReply(reply);
          if (sent) setQuoted(null);
          return sent;
        }}
      />
    </section>
  );
}

'use client';

import type { RouterOutputs } from '../../trpc';
import { TimeAgo } from '../../../ui/time';

export type Conversation = RouterOutputs['inbox']['conversations'][number];

/** The last message of a conversation in a line: its text, else its kind ("Photo", "Voice note"…). */
export function preview(last: Conversation['lastMessage']): string {
  if (last.deleted) return 'Message deleted';
  const body = last.kind === 'Text' ? (last.text ?? '') : last.text ? `${last.kind}: ${last.text}` : last.kind;
  return `${last.fromMe ? 'You: ' : ''}${body}`;
}

/** Initials for the avatar circle. */
function initials(name: string): string {
  const words = name.replace(/^\+/, '').split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  if (/^\d/.test(words[0]!)) return '#';
  return words.slice(0, 2).map((w) => w[0]!.toUpperCase()).join('');
}

export function Avatar({ name, group }: { name: string; group: boolean }) {
  return (
    <span aria-hidden className={`flex h-10 w-10 shrink-0 items-center justify-center rounded-full text-sm font-semibold ${group ? 'bg-sky-100 text-sky-800' : 'bg-emerald-100 text-emerald-800'}`}>
      {group ? '👥' : initials(name)}
    </span>
  );
}

/** The session's conversations, most recently active first, with unread counts. */
export function ConversationList({ conversations, selected, onSelect }: { conversations: Conversation[]; selected: string | null; onSelect: (chatJid: string) => void }) {
  return (
    <ul className="divide-y divide-slate-100" data-testid="conversation-list" aria-label="Conversations">
      {conversations.map((c) => (
        <li key={c.chatJid}>
          <button
            type="button"
            onClick={() => onSelect(c.chatJid)}
            data-testid="conversation"
            data-chat-jid={c.chatJid}
            data-unread={c.unread}
            aria-current={selected === c.chatJid ? 'true' : undefined}
            className={`flex w-full min-w-0 items-center gap-3 px-3 py-3 text-left hover:bg-slate-50 ${selected === c.chatJid ? 'bg-emerald-50' : ''}`}
          >
            <Avatar name={c.name} group={c.isGroup} />
            <span className="min-w-0 flex-1">
              <span className="flex items-baseline justify-between gap-2">
                <span className="truncate font-medium text-slate-900" data-testid="conversation-name">{c.name}</span>
                <span className="shrink-0 text-xs text-slate-500"><TimeAgo iso={c.lastMessage.timestamp} /></span>
              </span>
              <span className="flex items-center justify-between gap-2">
                <span className="truncate text-sm text-slate-600" data-testid="conversation-preview">{preview(c.lastMessage)}</span>
                {c.unread > 0 && (
                  <span data-testid="unread-badge" className="shrink-0 rounded-full bg-emerald-600 px-1.5 py-0.5 text-xs font-semibold text-white" aria-label={`${c.unread} unread`}>
                    {c.unreadCapped ? '99+' : c.unread}
                  </span>
                )}
              </span>
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

'use client';

import type { RouterOutputs } from '../../trpc';

export type ThreadMessage = RouterOutputs['inbox']['thread'][number];

/** The authenticated route that streams a stored message's media (never a path). */
export function mediaUrl(sessionId: string, chatJid: string, messageId: string, download = false): string {
  const q = new URLSearchParams({ sessionId, chatJid, messageId });
  if (download) q.set('download', '1');
  return `/api/message-media?${q.toString()}`;
}

/** WhatsApp's ticks: ✓ sent, ✓✓ delivered, blue ✓✓ read or played, ! failed, 🕓 pending. */
export function Ticks({ status }: { status: string }) {
  const label = { pending: 'Pending', sent: 'Sent', delivered: 'Delivered', read: 'Read', played: 'Played', failed: 'Failed' }[status] ?? status;
  const mark = status === 'failed' ? '!' : status === 'pending' ? '🕓' : status === 'sent' ? '✓' : '✓✓';
  const tone = status === 'read' || status === 'played' ? 'text-sky-500' : status === 'failed' ? 'text-rose-600' : 'text-slate-400';
  return (
    <span data-testid="ticks" data-status={status} title={label} aria-label={label} className={`text-xs font-semibold tracking-tighter ${tone}`}>
      {mark}
    </span>
  );
}

function formatSize(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

function MediaPreview({ sessionId, chatJid, m }: { sessionId: string; chatJid: string; m: ThreadMessage }) {
  const media = m.media;
  if (!media) return null;
  const src = mediaUrl(sessionId, chatJid, m.messageId);
  switch (media.kind) {
    case 'image':
    case 'sticker':
      return (
        <a href={src} target="_blank" rel="noreferrer" className="block">
          {/* eslint-disable-next-line @next/next/no-img-element -- an authenticated stream, not a static asset */}
          <img src={src} alt={m.text ?? m.kind} data-testid="media-image" loading="lazy" className={`rounded-lg ${media.kind === 'sticker' ? 'h-32 w-32 object-contain' : 'max-h-72 w-full max-w-full object-cover'}`} />
        </a>
      );
    case 'audio':
      return <audio controls preload="none" src={src} data-testid="media-audio" className="w-full max-w-[16rem]" aria-label={m.kind} />;
    case 'video':
      return <video controls preload="none" src={src} data-testid="media-video" className="max-h-72 w-full max-w-full rounded-lg" aria-label={m.kind} />;
    default:
      return (
        <a href={mediaUrl(sessionId, chatJid, m.messageId, true)} data-testid="media-document" className="flex min-w-0 items-center gap-2 rounded-lg bg-black/5 px-3 py-2 text-sm hover:bg-black/10">
          <span aria-hidden>📄</span>
          <span className="min-w-0 flex-1 truncate font-medium">{media.fileName ?? 'Document'}</span>
          <span className="shrink-0 text-xs text-slate-500">{formatSize(media.fileLength)} ↓</span>
        </a>
      );
  }
}

/** One message as a chat bubble: quoted reply, media, text or kind, poll options, reactions, time and ticks. */
export function Bubble({ sessionId, chatJid, m, showSender, onReply }: { sessionId: string; chatJid: string; m: ThreadMessage; showSender: boolean; onReply: (m: ThreadMessage) => void }) {
  const out = m.fromMe;
  const caption = m.text && !(m.kind === 'Text') ? m.text : null;
  return (
    <li data-testid="bubble" data-message-id={m.messageId} data-direction={out ? 'out' : 'in'} data-kind={m.kind} className={`group flex ${out ? 'justify-end' : 'justify-start'}`}>
      <div className={`relative min-w-0 max-w-[85%] rounded-2xl px-3 py-2 shadow-sm sm:max-w-[70%] ${out ? 'rounded-br-sm bg-emerald-100 text-slate-900' : 'rounded-bl-sm bg-white text-slate-900 ring-1 ring-slate-200'}`}>
        {showSender && !out && <div className="mb-0.5 truncate text-xs font-semibold text-sky-700">{m.senderName ?? m.senderJid ?? 'Unknown'}</div>}
        {m.quoted && (
          <div data-testid="quoted" className="mb-1 min-w-0 rounded-lg border-l-4 border-emerald-500 bg-black/5 px-2 py-1 text-xs text-slate-600">
            <div className="truncate">{m.quoted.text ?? m.quoted.kind}</div>
          </div>
        )}
        {m.deleted ? (
          <p className="text-sm italic text-slate-500">This message was deleted</p>
        ) : (
          <>
            {m.media ? (
              <MediaPreview sessionId={sessionId} chatJid={chatJid} m={m} />
            ) : (
              m.kind !== 'Text' && <div className="text-xs font-medium uppercase tracking-wide text-slate-500" data-testid="kind">{m.kind}</div>
            )}
            {m.kind === 'Text' && <p className="whitespace-pre-wrap break-words text-sm" data-testid="bubble-text">{m.text}</p>}
            {caption && <p className="mt-1 whitespace-pre-wrap break-words text-sm" data-testid="bubble-text">{caption}</p>}
            {m.media && <span className="sr-only">{m.kind}</span>}
            {m.pollOptions && (
              <ul className="mt-1 space-y-1 text-sm">
                {m.pollOptions.map((o) => <li key={o} className="rounded-md bg-black/5 px-2 py-1">○ {o}</li>)}
              </ul>
            )}
          </>
        )}
        <div className="mt-1 flex items-center justify-end gap-1.5 text-[11px] text-slate-500">
          {m.edited && <span>edited</span>}
          <time dateTime={m.timestamp} title={new Date(m.timestamp).toLocaleString()}>
            {new Date(m.timestamp).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
          </time>
          {out && <Ticks status={m.status} />}
        </div>
        {m.reactions.length > 0 && (
          <div data-testid="reactions" className={`absolute -bottom-3 ${out ? 'right-2' : 'left-2'} flex gap-0.5 rounded-full bg-white px-1.5 py-0.5 text-xs shadow ring-1 ring-slate-200`}>
            {m.reactions.map((r) => <span key={r.by} title={r.by}>{r.emoji}</span>)}
          </div>
        )}
        {!m.deleted && (
          <button type="button" onClick={() => onReply(m)} className="absolute -top-2 right-1 hidden rounded-full bg-white px-2 py-0.5 text-xs text-slate-600 shadow ring-1 ring-slate-200 group-hover:block focus:block" aria-label="Reply to this message">
            ↩ Reply
          </button>
        )}
      </div>
    </li>
  );
}

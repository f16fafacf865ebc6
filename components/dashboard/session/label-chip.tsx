'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc, type RouterOutputs } from '../trpc';
import { useLive } from '../live';
import { useCoalesced } from './shared';

type Overview = RouterOutputs['label']['list'];
type Label = Overview['labels'][number];

/** An approximation of WhatsApp Business's 20 label colours, by palette index. */
const PALETTE = [
  '#ff9485', '#64c4ff', '#ffd429', '#dfaef0', '#99b6c1', '#55ccb3', '#ff9dff', '#d3a91d', '#6d7cce', '#d7e752',
  '#00d0e2', '#ffc5c7', '#93ceac', '#f74848', '#00a0f2', '#83e422', '#ffaf04', '#b5ebff', '#9ba6ff', '#9368cf',
];

export const labelsKey = (sessionId: string) => ['label.list', sessionId] as const;

/** The labels on each chat and message, from the session's stored labels; refreshed on LabelUpdate. */
export function useLabels(sessionId: string) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: labelsKey(sessionId), queryFn: () => trpc.label.list.query({ sessionId }) });
  const refresh = useCoalesced(() => void queryClient.invalidateQueries({ queryKey: labelsKey(sessionId) }), 500);
  useLive([sessionId], { onEvent: (event) => { if (event.type === 'LabelUpdate') refresh(); } });
  const byId = new Map((query.data?.labels ?? []).map((l) => [l.id, l]));
  const of = (chatJid: string, messageId: string): Label[] =>
    (query.data?.links ?? []).filter((l) => l.chatJid === chatJid && l.messageId === messageId).flatMap((l) => byId.get(l.labelId) ?? []);
  return { chatLabels: (chatJid: string) => of(chatJid, ''), messageLabels: (chatJid: string, messageId: string) => of(chatJid, messageId) };
}

/** A small chip in the label's colour. */
export function LabelChip({ label, on }: { label: Label; on: 'chat' | 'message' }) {
  const colour = PALETTE[(label.color ?? 0) % PALETTE.length];
  return (
    <span
      data-testid="label-chip"
      data-label-id={label.id}
      data-on={on}
      title={`Label on this ${on}: ${label.name ?? label.id}`}
      className="inline-flex max-w-[10rem] items-center gap-1 truncate rounded-full border border-slate-200 bg-white px-2 py-0.5 font-sans text-xs text-slate-700"
    >
      <span className="h-2 w-2 shrink-0 rounded-full" style={{ backgroundColor: colour }} aria-hidden />
      {label.name ?? label.id}
    </span>
  );
}

'use client';

import { TRPCClientError } from '@trpc/client';
import { useEffect, useRef, type ReactNode } from 'react';
import type { RouterOutputs } from '../trpc';
import { phoneOf } from '../sessions-list';

/** One session as the detail page shows it (the access service's view). */
export type SessionDetailData = RouterOutputs['session']['get'];

/** Sandbox mode: simulated phones that can link and chat (see the sandbox service). */
export interface SandboxInfo {
  enabled: boolean;
  phones: Array<{ phone: string; name: string }>;
}

export const sessionKey = (sessionId: string) => ['session.get', sessionId] as const;

/** The HTTP status a failed tRPC call answered with, if known. */
export function httpStatusOf(error: unknown): number | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  if (data && typeof data === 'object' && 'httpStatus' in data && typeof data.httpStatus === 'number') return data.httpStatus;
  return null;
}

/** A chat or sender JID in words: a phone number, a group, or the raw id. */
export function chatLabel(jid: string | null | undefined): string {
  if (!jid) return '—';
  if (jid.endsWith('@g.us')) return `Group ${jid.split('@')[0]}`;
  if (jid.endsWith('@s.whatsapp.net') || jid.endsWith('@c.us')) return phoneOf(jid) ?? jid;
  return jid;
}

/**
 * Calls `fn` at most once per `ms` for bursts of live events (a busy chat would otherwise refetch
 * on every message). The latest `fn` is used.
 */
export function useCoalesced(fn: () => void, ms = 400): () => void {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    },
    [],
  );
  const trigger = useRef(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      fnRef.current();
    }, ms);
  });
  return trigger.current;
}

const PILL_TONES = {
  green: 'bg-emerald-100 text-emerald-800 ring-emerald-600/20',
  amber: 'bg-amber-100 text-amber-800 ring-amber-600/20',
  red: 'bg-rose-100 text-rose-800 ring-rose-600/20',
  blue: 'bg-sky-100 text-sky-800 ring-sky-600/20',
  grey: 'bg-slate-100 text-slate-700 ring-slate-500/20',
} as const;

export type PillTone = keyof typeof PILL_TONES;

/** A small coloured label (statuses, event types, directions). */
export function Pill({ tone = 'grey', children, className = '' }: { tone?: PillTone; children: ReactNode; className?: string }) {
  return (
    <span className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${PILL_TONES[tone]} ${className}`}>
      {children}
    </span>
  );
}

/** The tone of a message or delivery status. */
export function statusTone(status: string | null | undefined): PillTone {
  switch (status) {
    case 'delivered':
    case 'read':
    case 'played':
      return 'green';
    case 'pending':
    case 'sent':
      return 'amber';
    case 'dead':
    case 'failed':
    case 'error':
      return 'red';
    default:
      return 'grey';
  }
}

'use client';

import { TRPCClientError } from '@trpc/client';
import { useEffect, useRef } from 'react';
import type { PillTone } from '../../ui/pill';
import type { RouterOutputs } from '../trpc';
import { phoneOf } from '../sessions-list';

/** One session as the detail page shows it (the access service's view). */
export type SessionDetailData = RouterOutputs['session']['get'];

/** Sandbox mode: simulated phones that can link and chat (the sandbox service's answer). */
export type { SandboxInfo } from '../../../server/services/sandbox.service';

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

export { Pill, type PillTone } from '../../ui/pill';

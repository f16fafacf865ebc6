'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { trpc, errorMessage } from '../trpc';
import { Button } from '../../ui/button';
import { sessionKey } from './shared';

/** The id of the session page's linking panel (the Link buttons scroll to it). */
export const LINK_PANEL_ID = 'link-to-whatsapp';

/** Connects a linked session from wherever the page says it must be connected. */
export function ConnectButton({ sessionId, label = 'Connect' }: { sessionId: string; label?: string }) {
  const queryClient = useQueryClient();
  const connect = useMutation({
    mutationFn: () => trpc.session.connect.mutate({ sessionId }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: sessionKey(sessionId) });
      void queryClient.invalidateQueries({ queryKey: ['session.list'] });
    },
  });
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Button variant="secondary" className="px-2.5 py-1" busy={connect.isPending} onClick={() => connect.mutate()}>
        {label}
      </Button>
      {connect.error && <span className="text-sm">{errorMessage(connect.error, { action: true })}</span>}
    </span>
  );
}

/** Goes to the page's linking panel (QR code, pairing code, sandbox phone). */
export function LinkButton({ label = 'Link to WhatsApp' }: { label?: string }) {
  return (
    <a
      href={`#${LINK_PANEL_ID}`}
      onClick={(e) => {
        const panel = document.getElementById(LINK_PANEL_ID);
        if (!panel) return;
        e.preventDefault();
        panel.scrollIntoView({ behavior: 'smooth', block: 'start' });
      }}
      className="inline-flex items-center justify-center rounded-lg border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-800 hover:bg-slate-50"
    >
      {label}
    </a>
  );
}

'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { trpc, errorMessage } from '../trpc';
import { Button } from '../../ui/button';
import { Card, ErrorNote } from '../../ui/card';
import { Dialog, DialogActions } from '../../ui/dialog';
import { SecretReveal } from '../../ui/secret-reveal';
import { ShownOnceContext, useShownOnceGuard } from '../../ui/shown-once';
import { sessionKey, type SessionDetailData } from './shared';

/** The session's API token: only its prefix is known; regenerating shows the new one once. */
export function TokenPanel({ session }: { session: SessionDetailData }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const regenerate = useMutation({
    mutationFn: () => trpc.session.regenerateToken.mutate({ sessionId: session.id }),
    onSuccess: (answer) => {
      queryClient.setQueryData<SessionDetailData>(sessionKey(session.id), (s) => s && { ...s, tokenPrefix: answer.tokenPrefix });
      setConfirming(false);
    },
  });
  const shownOnce = useShownOnceGuard('API token', Boolean(regenerate.data));

  return (
    <Card
      title="API token"
      description="Callers of the REST API send it in the token header to act as this session."
      actions={
        <Button variant="secondary" onClick={() => shownOnce.guard(() => { regenerate.reset(); setConfirming(true); })}>
          Regenerate token
        </Button>
      }
    >
      <div className="flex flex-col gap-4">
        <p className="text-sm text-slate-600">
          Current token starts with{' '}
          <code data-testid="token-prefix" className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-slate-900">
            {session.tokenPrefix}…
          </code>
          . WaGo keeps only a hash of it, so the full token cannot be shown again.
        </p>
        {regenerate.data && (
          <ShownOnceContext.Provider value={shownOnce.context}>
            <SecretReveal
              label="New API token"
              value={regenerate.data.token}
              note="The old token no longer works. Copy this one now: it is shown only this once."
            />
            <div>
              <Button variant="ghost" onClick={() => shownOnce.guard(() => regenerate.reset())}>Done, hide it</Button>
            </div>
            {shownOnce.confirm}
          </ShownOnceContext.Provider>
        )}
      </div>
      <Dialog open={confirming} onClose={() => setConfirming(false)} title="Regenerate the API token?">
        <p className="text-sm text-slate-600">
          A new token is created and the old one (<span className="font-mono">{session.tokenPrefix}…</span>) <strong>stops working at once</strong>:
          every program that uses it must be given the new token.
        </p>
        <ErrorNote>{regenerate.error && errorMessage(regenerate.error, { action: true })}</ErrorNote>
        <DialogActions onCancel={() => setConfirming(false)}>
          <Button variant="danger" busy={regenerate.isPending} onClick={() => regenerate.mutate()}>Regenerate token</Button>
        </DialogActions>
      </Dialog>
    </Card>
  );
}

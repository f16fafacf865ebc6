'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { trpc, errorMessage } from './trpc';
import { Button } from '../ui/button';

type Action = 'start' | 'stop' | 'restart' | 'logout';

const RUNNING = new Set(['connecting', 'qr', 'pairing', 'connected']);

async function run(action: Action, sessionId: string): Promise<unknown> {
  switch (action) {
    case 'start':
      return trpc.session.connect.mutate({ sessionId });
    case 'stop':
      return trpc.session.disconnect.mutate({ sessionId });
    case 'restart':
      await trpc.session.disconnect.mutate({ sessionId });
      return trpc.session.connect.mutate({ sessionId });
    case 'logout':
      return trpc.session.logout.mutate({ sessionId });
  }
}

/** Start, stop, restart and log out one session from its row of the sessions list. */
export function SessionRowActions({ session, listKey, onDelete }: { session: { id: string; name: string; state: string; loggedIn: boolean }; listKey: readonly unknown[]; onDelete: () => void }) {
  const queryClient = useQueryClient();
  const act = useMutation({
    mutationFn: (action: Action) => run(action, session.id),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: listKey }),
  });
  const running = RUNNING.has(session.state);
  const busy = (a: Action) => act.isPending && act.variables === a;
  const label = (verb: string) => `${verb} ${session.name}`;
  return (
    <div className="flex flex-wrap items-center justify-end gap-1" data-testid="row-actions">
      {running ? (
        <Button variant="ghost" busy={busy('stop')} disabled={act.isPending} onClick={() => act.mutate('stop')} aria-label={label('Stop')}>Stop</Button>
      ) : (
        <Button variant="ghost" busy={busy('start')} disabled={act.isPending} onClick={() => act.mutate('start')} aria-label={label('Start')}>Start</Button>
      )}
      <Button variant="ghost" busy={busy('restart')} disabled={act.isPending || !running} onClick={() => act.mutate('restart')} aria-label={label('Restart')}>Restart</Button>
      <Button variant="ghost" busy={busy('logout')} disabled={act.isPending || !session.loggedIn} onClick={() => act.mutate('logout')} aria-label={label('Log out')}>Log out</Button>
      <Button variant="ghost" className="text-rose-700" onClick={onDelete} aria-label={label('Delete')}>Delete</Button>
      {act.error && <span role="alert" className="basis-full text-right text-xs text-rose-700">{errorMessage(act.error)}</span>}
    </div>
  );
}

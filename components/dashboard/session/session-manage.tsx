'use client';

import { useRouter } from 'next/navigation';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { trpc } from '../trpc';
import { SESSIONS_KEY } from '../sessions-list';
import { ApiErrorNote } from '../error-note';
import { Button } from '../../ui/button';
import { Dialog, DialogActions } from '../../ui/dialog';
import { Field, TextInput } from '../../ui/field';
import { sessionKey, type SessionDetailData } from './shared';

/** Renames the session (the name only tells sessions apart; the token and the link stay). */
export function RenameSessionDialog({ session, open, onClose }: { session: SessionDetailData; open: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const rename = useMutation({
    mutationFn: (name: string) => trpc.session.rename.mutate({ sessionId: session.id, name }),
    onSuccess: (view) => {
      queryClient.setQueryData<SessionDetailData>(sessionKey(session.id), (s) => s && { ...s, name: view.name });
      void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
      onClose();
    },
  });
  const close = () => {
    rename.reset();
    onClose();
  };
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    rename.mutate(String(new FormData(e.currentTarget).get('name') ?? ''));
  }
  return (
    <Dialog open={open} onClose={close} title="Rename session">
      <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Rename session">
        <Field label="Name" hint="For you to tell sessions apart. The token, webhook and WhatsApp link stay as they are.">
          <TextInput name="name" required maxLength={100} defaultValue={session.name} autoFocus />
        </Field>
        <ApiErrorNote error={rename.error} action />
        <DialogActions onCancel={close}>
          <Button type="submit" busy={rename.isPending}>Rename</Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/** Deletes the session (unlinked from WhatsApp first), then goes back to the list. */
export function DeleteSessionDialog({ session, open, onClose }: { session: SessionDetailData; open: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const remove = useMutation({
    mutationFn: () => trpc.session.delete.mutate({ sessionId: session.id }),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: sessionKey(session.id) });
      void queryClient.invalidateQueries({ queryKey: SESSIONS_KEY });
      router.push('/dashboard');
    },
  });
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} title="Delete session?">
      <p className="text-sm text-slate-600">
        “{session.name}” is unlinked from WhatsApp and deleted with its keys, messages and webhook history. Its API token stops working.
        This cannot be undone.
      </p>
      <ApiErrorNote error={remove.error} action />
      <DialogActions onCancel={close}>
        <Button variant="danger" busy={remove.isPending} onClick={() => remove.mutate()}>Delete session</Button>
      </DialogActions>
    </Dialog>
  );
}

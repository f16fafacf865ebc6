'use client';

import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { trpc, errorMessage } from '../trpc';
import { Button } from '../../ui/button';
import { ErrorNote } from '../../ui/card';
import { Dialog, DialogActions } from '../../ui/dialog';
import { Field, TextInput } from '../../ui/field';
import { PasswordHandover } from './password-handover';
import { OptionalPasswordField } from './optional-password-field';

/** Sets a new password for an account (chosen or generated) and shows it once. */
export function ResetPasswordDialog({ account, onClose }: { account: { id: string; email: string } | null; onClose: () => void }) {
  const reset = useMutation({
    mutationFn: (input: { id: string; password?: string }) => trpc.account.resetPassword.mutate(input),
  });
  const close = () => {
    reset.reset();
    onClose();
  };
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!account) return;
    const password = String(new FormData(e.currentTarget).get('password') ?? '');
    reset.mutate({ id: account.id, ...(password ? { password } : {}) });
  }
  return (
    <Dialog open={account !== null} onClose={close} title={reset.data ? 'Password reset' : 'Reset password?'} shownOnce={reset.data ? { what: 'password' } : null}>
      {reset.data ? (
        <PasswordHandover label={`New password of ${account?.email ?? 'the account'}`} password={reset.data.password} onDone={close} />
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-4" aria-label="Reset password">
          <p className="text-sm text-slate-600">
            {account?.email} gets a new password; the old one stops working.
          </p>
          <OptionalPasswordField label="New password" />
          <ErrorNote>{reset.error && errorMessage(reset.error, { action: true })}</ErrorNote>
          <DialogActions onCancel={close}>
            <Button type="submit" busy={reset.isPending}>Reset password</Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}

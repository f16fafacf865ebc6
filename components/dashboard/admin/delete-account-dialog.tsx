'use client';

import { useMutation } from '@tanstack/react-query';
import { trpc, errorMessage } from '../trpc';
import { Button } from '../../ui/button';
import { ErrorNote } from '../../ui/card';
import { Dialog, DialogActions } from '../../ui/dialog';

/** Confirms deleting an account; the server's refusal (owns sessions, last admin, yourself) is shown as is. */
export function DeleteAccountDialog({
  account,
  onClose,
  onDeleted,
}: {
  account: { id: string; email: string; sessions?: number } | null;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const remove = useMutation({
    mutationFn: (id: string) => trpc.account.delete.mutate({ id }),
    onSuccess: () => {
      onDeleted();
      remove.reset();
      onClose();
    },
  });
  const close = () => {
    remove.reset();
    onClose();
  };
  const owned = account?.sessions ?? 0;
  return (
    <Dialog open={account !== null} onClose={close} title="Delete account?">
      <p className="text-sm text-slate-600">
        {account?.email} can no longer sign in. This cannot be undone.
        {owned > 0 && ` It still owns ${owned} session${owned === 1 ? '' : 's'}: delete ${owned === 1 ? 'it' : 'them'} first.`}
      </p>
      <ErrorNote>{remove.error && errorMessage(remove.error, { action: true })}</ErrorNote>
      <DialogActions onCancel={close}>
        <Button variant="danger" busy={remove.isPending} onClick={() => account && remove.mutate(account.id)}>
          Delete account
        </Button>
      </DialogActions>
    </Dialog>
  );
}

'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { trpc, errorMessage } from '../trpc';
import { Button } from '../../ui/button';
import { Card, ErrorNote } from '../../ui/card';
import { signOut } from 'next-auth/react';
import { Field, TextInput } from '../../ui/field';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../server/auth/password-rules';

const MIN = PASSWORD_MIN_LENGTH;
const MAX = PASSWORD_MAX_LENGTH;

/** Changes the signed-in account's password (proving the current one); the new one is typed twice. */
export function ChangePasswordForm() {
  const [mismatch, setMismatch] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: (input: { current: string; next: string }) => trpc.account.changePassword.mutate(input),
  });

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const current = String(data.get('current') ?? '');
    const next = String(data.get('next') ?? '');
    const repeat = String(data.get('repeat') ?? '');
    change.reset();
    if (next.length < MIN) return setMismatch(`The new password must be at least ${MIN} characters.`);
    if (next !== repeat) return setMismatch('The two new passwords do not match.');
    setMismatch(null);
    // A new password signs the account out everywhere, this browser included.
    change.mutate({ current, next }, { onSuccess: () => void signOut({ callbackUrl: '/login?changed=1' }) });
  }

  const error = mismatch ?? (change.error ? errorMessage(change.error, { action: true }) : null);
  return (
    <Card title="Change password" description={`At least ${MIN} characters. Changing it signs you out everywhere, here too: then sign in with the new one.`}>
      <form onSubmit={submit} className="flex max-w-md flex-col gap-4" aria-label="Change password">
        <Field label="Current password">
          <TextInput name="current" type="password" required autoComplete="current-password" />
        </Field>
        <Field label="New password" hint={`At least ${MIN} characters.`}>
          <TextInput name="next" type="password" required minLength={MIN} maxLength={MAX} autoComplete="new-password" />
        </Field>
        <Field label="Repeat the new password">
          <TextInput name="repeat" type="password" required minLength={MIN} maxLength={MAX} autoComplete="new-password" />
        </Field>
        <ErrorNote>{error}</ErrorNote>
        {change.isSuccess && (
          <p role="status" className="rounded-lg border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
            Password changed
          </p>
        )}
        <div>
          <Button type="submit" busy={change.isPending}>Change password</Button>
        </div>
      </form>
    </Card>
  );
}

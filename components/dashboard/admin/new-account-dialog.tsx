'use client';

import { useMutation } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { trpc, errorMessage } from '../trpc';
import { Button } from '../../ui/button';
import { ErrorNote } from '../../ui/card';
import { Dialog, DialogActions } from '../../ui/dialog';
import { Field, TextInput, inputClass } from '../../ui/field';
import { PasswordHandover } from './password-handover';
import { OptionalPasswordField } from './optional-password-field';


interface NewAccountInput {
  email: string;
  name?: string;
  role: 'admin' | 'tenant';
  password?: string;
}

function readForm(form: HTMLFormElement): NewAccountInput {
  const data = new FormData(form);
  const name = String(data.get('name') ?? '').trim();
  const password = String(data.get('password') ?? '');
  return {
    email: String(data.get('email') ?? '').trim(),
    role: data.get('role') === 'admin' ? 'admin' : 'tenant',
    ...(name ? { name } : {}),
    ...(password ? { password } : {}),
  };
}

/** Creates an account, then shows its password once (given or generated). */
export function NewAccountDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: () => void }) {
  const create = useMutation({
    mutationFn: (input: NewAccountInput) => trpc.account.create.mutate(input),
    onSuccess: onCreated,
  });
  const close = () => {
    create.reset();
    onClose();
  };
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    create.mutate(readForm(e.currentTarget));
  }
  return (
    <Dialog open={open} onClose={close} title={create.data ? 'Account created' : 'New account'} shownOnce={create.data ? { what: 'password' } : null}>
      {create.data ? (
        <PasswordHandover label={`Password of ${create.data.account.email}`} password={create.data.password} onDone={close} />
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-4" aria-label="New account">
          <Field label="E-mail">
            <TextInput name="email" type="email" required maxLength={254} autoComplete="off" autoFocus placeholder="someone@example.com" />
          </Field>
          <Field label="Name" hint="Optional.">
            <TextInput name="name" maxLength={100} autoComplete="off" />
          </Field>
          <Field label="Role" hint="An admin manages accounts and sees every session; a tenant only its own.">
            <select name="role" defaultValue="tenant" className={inputClass}>
              <option value="tenant">Tenant</option>
              <option value="admin">Admin</option>
            </select>
          </Field>
          <OptionalPasswordField label="Password" />
          <ErrorNote>{create.error && errorMessage(create.error, { action: true })}</ErrorNote>
          <DialogActions onCancel={close}>
            <Button type="submit" busy={create.isPending}>Create account</Button>
          </DialogActions>
        </form>
      )}
    </Dialog>
  );
}

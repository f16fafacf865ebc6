'use client';

import { signIn } from 'next-auth/react';
import { useState, type FormEvent } from 'react';
import { Button } from '../ui/button';
import { ErrorNote } from '../ui/card';
import { Field, TextInput } from '../ui/field';
import { UNREACHABLE_ACTION } from '../dashboard/error-wording';

export function LoginForm({ returnTo, initialError }: { returnTo: string; initialError: string | null }) {
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    let result: Awaited<ReturnType<typeof signIn>>;
    try {
      result = await signIn('credentials', { email: String(form.get('email')), password: String(form.get('password')), redirect: false });
    } catch {
      setBusy(false);
      setError(UNREACHABLE_ACTION);
      return;
    }
    if (result?.ok && !result.error) {
      window.location.assign(returnTo);
      return;
    }
    setBusy(false);
    setError('Wrong e-mail or password (after 10 failures, wait 15 minutes).');
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4 rounded-xl border border-slate-200 bg-white p-6 shadow-sm" aria-label="Sign in">
      <Field label="E-mail">
        <TextInput name="email" type="email" autoComplete="username" required autoFocus />
      </Field>
      <Field label="Password">
        <TextInput name="password" type="password" autoComplete="current-password" required />
      </Field>
      <ErrorNote>{error}</ErrorNote>
      <Button type="submit" busy={busy} className="w-full">
        Sign in
      </Button>
    </form>
  );
}

'use client';

import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { trpc, errorMessage } from '../trpc';
import { useLive } from '../live';
import { Button } from '../../ui/button';
import { ErrorNote } from '../../ui/card';
import { Field, TextInput, inputClass } from '../../ui/field';
import type { SandboxInfo } from './shared';

/** `ABCDEFGH` → `ABCD-EFGH`, the way WhatsApp shows pairing codes. */
export function formatPairingCode(code: string): string {
  const clean = code.replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  return clean.match(/.{1,4}/g)?.join('-') ?? clean;
}

/** Linking by pairing code: the phone number in, the 8-character code to type on the phone out. */
export function PairLink({ sessionId }: { sessionId: string }) {
  const [liveCode, setLiveCode] = useState<string | null>(null);
  const pair = useMutation({
    mutationFn: (phone: string) => trpc.session.pair.mutate({ sessionId, phone }),
    onMutate: () => setLiveCode(null),
  });

  // WhatsApp may issue a fresh code while we wait: show the newest one.
  useLive([sessionId], {
    onEvent: (event) => {
      if (event.type === 'PairingCode' && typeof event.data.code === 'string' && (pair.isPending || pair.data)) setLiveCode(event.data.code);
    },
  });

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    pair.mutate(String(new FormData(e.currentTarget).get('phone') ?? '').trim());
  }

  const code = pair.data ? (liveCode ?? pair.data.LinkingCode) : null;

  return (
    <section aria-labelledby={`pair-${sessionId}`} className="flex flex-col gap-3">
      <h3 id={`pair-${sessionId}`} className="text-sm font-semibold text-slate-900">Link with phone number</h3>
      {code && pair.data ? (
        <div className="flex flex-col gap-3">
          <p className="text-sm text-slate-600">
            Enter this code on the phone with number <span className="font-mono">+{pair.data.Phone}</span>:
          </p>
          <p
            data-testid="pairing-code"
            aria-label={`Pairing code ${code.split('').join(' ')}`}
            className="w-fit rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 font-mono text-3xl font-semibold tracking-[0.2em] text-emerald-900"
          >
            {formatPairingCode(code)}
          </p>
          <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-600">
            <li>Open WhatsApp on that phone.</li>
            <li>Go to Settings → <strong>Linked devices</strong> → <strong>Link a device</strong>.</li>
            <li>Tap <strong>Link with phone number instead</strong> and type the code.</li>
          </ol>
          <div>
            <Button variant="ghost" onClick={() => pair.reset()}>Use another number</Button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-3">
          <Field label="Phone number" hint="Digits in international format, country code first: 31612345678 (no +, spaces are fine).">
            <TextInput name="phone" type="tel" inputMode="tel" autoComplete="tel" required placeholder="31612345678" />
          </Field>
          <ErrorNote>{pair.error && errorMessage(pair.error, { action: true })}</ErrorNote>
          <div>
            <Button type="submit" variant="secondary" busy={pair.isPending}>
              {pair.isPending ? 'Asking WhatsApp for a code…' : 'Get pairing code'}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}

/** Sandbox mode: a simulated phone scans the QR code, exactly like a real one would. */
export function SandboxLink({ sessionId, phones }: { sessionId: string; phones: SandboxInfo['phones'] }) {
  const [phone, setPhone] = useState(phones[0]?.phone ?? '');
  const link = useMutation({ mutationFn: (chosen: string) => trpc.sandbox.link.mutate({ sessionId, phone: chosen || undefined }) });

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    link.mutate(phone);
  }

  return (
    <section aria-labelledby={`sandbox-${sessionId}`} className="flex flex-col gap-3">
      <h3 id={`sandbox-${sessionId}`} className="text-sm font-semibold text-slate-900">Link with a simulated phone</h3>
      <p className="text-sm text-slate-600">Sandbox mode is on: a simulated phone can link this session, no real WhatsApp involved.</p>
      {phones.length === 0 ? (
        <p className="text-sm text-slate-500">No simulated phones are configured.</p>
      ) : (
        <form onSubmit={submit} className="flex flex-col gap-3">
          <Field label="Simulated phone">
            <select name="phone" value={phone} onChange={(e) => setPhone(e.target.value)} className={inputClass}>
              {phones.map((p) => (
                <option key={p.phone} value={p.phone}>
                  {p.name} (+{p.phone.replace(/^\+/, '')})
                </option>
              ))}
            </select>
          </Field>
          <ErrorNote>{link.error && errorMessage(link.error, { action: true })}</ErrorNote>
          {link.data && (
            <p role="status" className="text-sm text-emerald-700">
              Scanned by +{link.data.phone.replace(/^\+/, '')}: connecting…
            </p>
          )}
          <div>
            <Button type="submit" variant="secondary" busy={link.isPending}>Link with simulated phone</Button>
          </div>
        </form>
      )}
    </section>
  );
}

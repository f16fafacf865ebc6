'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { trpc } from '../trpc';
import { ApiErrorNote } from '../error-note';
import { ConnectButton, LinkButton } from './session-fix-buttons';
import { Button } from '../../ui/button';
import { Card } from '../../ui/card';
import { Field, TextInput, inputClass } from '../../ui/field';
import { messagesKey } from './message-log';
import type { SandboxInfo, SessionDetailData } from './shared';

/** A quick text message from the dashboard, to try the session out. */
export function SendMessage({ session, sandbox, className = '' }: { session: SessionDetailData; sandbox: SandboxInfo; className?: string }) {
  const queryClient = useQueryClient();
  const offerPhones = sandbox.enabled && sandbox.phones.length > 0;
  // The first simulated phone is the one that links sessions; the others are its contacts.
  const contact = sandbox.phones.find((p) => !session.jid?.startsWith(`${p.phone}@`) && !session.jid?.startsWith(`${p.phone}:`) && p !== sandbox.phones[0]) ?? sandbox.phones[0];
  const [phone, setPhone] = useState(offerPhones ? (contact?.phone ?? '') : '');
  const [body, setBody] = useState('');
  const send = useMutation({
    mutationFn: (input: { phone: string; body: string }) => trpc.message.sendText.mutate({ sessionId: session.id, ...input }),
    onSuccess: () => {
      setBody('');
      void queryClient.invalidateQueries({ queryKey: messagesKey(session.id) });
    },
  });
  const listId = `sandbox-phones-${session.id}`;

  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    send.mutate({ phone: phone.trim(), body });
  }

  return (
    <Card className={className} title="Send a message" description="A text message from this session, to check it works.">
      <form onSubmit={submit} className="flex flex-col gap-4">
        {!session.connected && (
          <div data-testid="send-not-connected" className="flex flex-wrap items-center gap-2 rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-800">
            <span>{session.loggedIn ? 'The session is not connected: connect it before sending.' : 'The session is not linked to WhatsApp yet: link it before sending.'}</span>
            {session.loggedIn ? <ConnectButton sessionId={session.id} /> : <LinkButton />}
          </div>
        )}
        <Field label="Recipient" hint={offerPhones ? 'A phone number or JID. Sandbox mode: pick one of the simulated phones.' : 'A phone number in international format (31612345678) or a JID (…@s.whatsapp.net, …@g.us).'}>
          <TextInput
            name="phone"
            value={phone}
            onChange={(e) => setPhone(e.target.value)}
            required
            autoComplete="off"
            placeholder="31612345678"
            list={offerPhones ? listId : undefined}
          />
        </Field>
        {offerPhones && (
          <datalist id={listId}>
            {sandbox.phones.map((p) => (
              <option key={p.phone} value={p.phone}>{p.name}</option>
            ))}
          </datalist>
        )}
        <Field label="Message">
          <textarea
            name="body"
            value={body}
            onChange={(e) => setBody(e.target.value)}
            required
            rows={3}
            maxLength={65_536}
            placeholder="Hello from WaGo 👋"
            className={`${inputClass} resize-y`}
          />
        </Field>
        <ApiErrorNote error={send.error} sessionId={session.id} action />
        {send.data && !send.isPending && (
          <p role="status" data-testid="send-result" className="text-sm text-emerald-700">
            Sent · id <span className="font-mono">{send.data.Id}</span>
          </p>
        )}
        <div>
          <Button type="submit" busy={send.isPending}>Send message</Button>
        </div>
      </form>
    </Card>
  );
}

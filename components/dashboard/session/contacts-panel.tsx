'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { trpc, errorMessage, type RouterOutputs } from '../trpc';
import { useLive } from '../live';
import { phoneOf } from '../sessions-list';
import { Button } from '../../ui/button';
import { Card, EmptyState, ErrorNote, Spinner } from '../../ui/card';
import { DataTable, type Column } from '../../ui/table';
import { Pill, useCoalesced } from './shared';

type Contact = RouterOutputs['contact']['list']['Contacts'][number];

const COLUMNS: Column[] = [{ label: 'Name' }, { label: 'Push name' }, { label: 'Phone' }, { label: 'LID' }, { label: 'Status' }, { label: 'Actions', srOnly: true }];
const contactsKey = (sessionId: string) => ['contact.list', sessionId] as const;
const blocklistKey = (sessionId: string) => ['contact.blocklist', sessionId] as const;

/** The contacts this session learned (push names, address book) and whether each is blocked; Block/Unblock. Live. */
export function ContactsPanel({ sessionId, className = '' }: { sessionId: string; className?: string }) {
  const queryClient = useQueryClient();
  const contacts = useQuery({ queryKey: contactsKey(sessionId), queryFn: () => trpc.contact.list.query({ sessionId }) });
  const blocked = useQuery({ queryKey: blocklistKey(sessionId), queryFn: () => trpc.contact.blocklist.query({ sessionId }) });
  const refreshContacts = useCoalesced(() => void queryClient.invalidateQueries({ queryKey: contactsKey(sessionId) }));
  const refreshBlocklist = useCoalesced(() => void queryClient.invalidateQueries({ queryKey: blocklistKey(sessionId) }));
  useLive([sessionId], {
    onEvent: (event) => {
      if (event.type === 'ContactUpdate') refreshContacts();
      if (event.type === 'BlocklistChange') refreshBlocklist();
    },
  });
  const change = useMutation({
    mutationFn: ({ jid, block }: { jid: string; block: boolean }) =>
      block ? trpc.contact.block.mutate({ sessionId, phone: jid }) : trpc.contact.unblock.mutate({ sessionId, phone: jid }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: blocklistKey(sessionId) }),
  });

  const blockedIds = new Set((blocked.data?.Users ?? []).flatMap((u) => [u.Jid, u.Lid]).filter((x): x is string => Boolean(x)));
  const isBlocked = (c: Contact) => blockedIds.has(c.Jid) || (c.Lid !== null && blockedIds.has(c.Lid));

  return (
    <Card className={className} title="Contacts" description="People this session learned about (from their messages and the phone’s address book). Updated live.">
      <div className="flex flex-col gap-3" data-testid="contacts-panel">
        <ErrorNote>{change.error && errorMessage(change.error, { action: true })}</ErrorNote>
        {blocked.error && <ErrorNote>Blocklist: {errorMessage(blocked.error)}</ErrorNote>}
        {contacts.isPending ? (
          <Spinner label="Loading contacts" />
        ) : contacts.error ? (
          <ErrorNote>{errorMessage(contacts.error)}</ErrorNote>
        ) : contacts.data.Contacts.length === 0 ? (
          <EmptyState title="No contacts yet">Contacts appear when someone writes to this account or the phone shares its address book.</EmptyState>
        ) : (
          <DataTable columns={COLUMNS} minWidth="44rem" caption="Contacts">
            {contacts.data.Contacts.map((c) => {
              const isBlockedNow = isBlocked(c);
              const busy = change.isPending && change.variables.jid === c.Jid;
              return (
                <tr key={c.Jid} data-testid="contact-row" data-jid={c.Jid} data-blocked={blocked.data ? isBlockedNow : undefined} className="hover:bg-slate-50">
                  <td className="px-5 py-3 font-medium text-slate-800">{c.FullName ?? c.FirstName ?? c.BusinessName ?? <span className="font-normal text-slate-400">—</span>}</td>
                  <td className="px-5 py-3 text-slate-700">{c.PushName ?? <span className="text-slate-400">—</span>}</td>
                  <td className="px-5 py-3 font-mono text-slate-700">{c.Jid.endsWith('@lid') ? <span className="font-sans text-slate-400">—</span> : phoneOf(c.Jid)}</td>
                  <td className="px-5 py-3 font-mono text-xs text-slate-500">{c.Lid ?? (c.Jid.endsWith('@lid') ? c.Jid : '—')}</td>
                  <td className="px-5 py-3">
                    {isBlockedNow ? <Pill tone="red">blocked</Pill> : c.InAddressBook ? <Pill tone="green">in address book</Pill> : <Pill>learned</Pill>}
                  </td>
                  <td className="px-5 py-3 text-right">
                    <Button
                      variant={isBlockedNow ? 'secondary' : 'ghost'}
                      className={isBlockedNow ? '' : 'text-rose-700'}
                      busy={busy}
                      disabled={!blocked.data || change.isPending}
                      aria-label={`${isBlockedNow ? 'Unblock' : 'Block'} ${c.PushName ?? c.Jid}`}
                      onClick={() => change.mutate({ jid: c.Jid, block: !isBlockedNow })}
                    >
                      {isBlockedNow ? 'Unblock' : 'Block'}
                    </Button>
                  </td>
                </tr>
              );
            })}
          </DataTable>
        )}
      </div>
    </Card>
  );
}

'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { trpc, errorMessage, type RouterOutputs } from '../trpc';
import { useLive } from '../live';
import { phoneOf } from '../sessions-list';
import { Button } from '../../ui/button';
import { Card, EmptyState, ErrorNote, Spinner } from '../../ui/card';
import { Dialog, DialogActions } from '../../ui/dialog';
import { TextInput } from '../../ui/field';
import { CopyButton } from '../../ui/copy-button';
import { Pill, useCoalesced } from './shared';

type Group = RouterOutputs['group']['list']['Groups'][number];
type Member = Group['Participants'][number];

const GROUP_EVENTS = new Set(['GroupUpdate', 'GroupParticipants']);
const listKey = (sessionId: string) => ['group.list', sessionId] as const;
const linkKey = (sessionId: string, jid: string) => ['group.inviteLink', sessionId, jid] as const;

/** The session's own user (PN and LID JIDs), to mark it among a group's participants. */
export interface Me {
  jid: string | null;
  lid: string | null;
}

/** A user JID without its device part ("123:4@s.whatsapp.net" → "123@s.whatsapp.net"). */
const bare = (jid: string) => jid.replace(/:\d+@/, '@');
const isMe = (p: Member, me: Me) => [p.JID, p.LID].some((x) => x && [me.jid, me.lid].some((m) => m && bare(m) === bare(x)));

/** The account's groups with their participant counts; one opens to its members, invite link, rename and leave. Live. */
export function GroupsPanel({ sessionId, me, className = '' }: { sessionId: string; me: Me; className?: string }) {
  const queryClient = useQueryClient();
  const [openJid, setOpenJid] = useState<string | null>(null);
  const groups = useQuery({ queryKey: listKey(sessionId), queryFn: () => trpc.group.list.query({ sessionId }) });
  const refresh = useCoalesced(() => void queryClient.invalidateQueries({ queryKey: listKey(sessionId) }));
  useLive([sessionId], {
    onEvent: (event) => {
      if (GROUP_EVENTS.has(event.type)) refresh();
    },
  });
  const open = groups.data?.Groups.find((g) => g.JID === openJid) ?? null;

  return (
    <Card className={className} title="Groups" description="The groups this account is in, asked of WhatsApp. Updated live.">
      <div className="flex flex-col gap-4" data-testid="groups-panel">
        {groups.isPending ? (
          <Spinner label="Loading groups" />
        ) : groups.error ? (
          <ErrorNote>{errorMessage(groups.error)}</ErrorNote>
        ) : groups.data.Groups.length === 0 ? (
          <EmptyState title="No groups yet">Groups this account creates, joins or is added to appear here.</EmptyState>
        ) : (
          <ul className="-mx-5 divide-y divide-slate-100" aria-label="Groups">
            {groups.data.Groups.map((g) => (
              <li key={g.JID} data-testid="group-row" data-jid={g.JID} data-size={g.Size}>
                <button
                  type="button"
                  onClick={() => setOpenJid(g.JID === openJid ? null : g.JID)}
                  aria-expanded={g.JID === openJid}
                  className={`flex w-full items-center justify-between gap-3 px-5 py-3 text-left hover:bg-slate-50 ${g.JID === openJid ? 'bg-emerald-50/60' : ''}`}
                >
                  <span className="min-w-0">
                    <span className="block truncate font-medium text-slate-900" data-testid="group-name">{g.Name || <span className="text-slate-400">(no name)</span>}</span>
                    <span className="block truncate font-mono text-xs text-slate-500">{g.JID}</span>
                  </span>
                  <span className="flex shrink-0 items-center gap-2">
                    {g.IsCommunity && <Pill tone="blue">community</Pill>}
                    <span data-testid="group-size"><Pill>{g.Size === 1 ? '1 participant' : `${g.Size} participants`}</Pill></span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {open && <GroupDetail key={open.JID} sessionId={sessionId} me={me} group={open} onLeft={() => setOpenJid(null)} />}
      </div>
    </Card>
  );
}

function GroupDetail({ sessionId, me, group, onLeft }: { sessionId: string; me: Me; group: Group; onLeft: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(group.Name);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const input = { sessionId, groupJid: group.JID };
  const link = useQuery({ queryKey: linkKey(sessionId, group.JID), queryFn: () => trpc.group.inviteLink.query(input), retry: false });
  const reset = useMutation({
    mutationFn: () => trpc.group.resetInviteLink.mutate(input),
    onSuccess: (answer) => queryClient.setQueryData(linkKey(sessionId, group.JID), answer),
  });
  const rename = useMutation({
    mutationFn: (next: string) => trpc.group.rename.mutate({ ...input, name: next }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: listKey(sessionId) }),
  });
  const leave = useMutation({
    mutationFn: () => trpc.group.leave.mutate(input),
    onSuccess: () => {
      setConfirmLeave(false);
      onLeft();
      void queryClient.invalidateQueries({ queryKey: listKey(sessionId) });
    },
  });
  const submitRename = (e: FormEvent) => {
    e.preventDefault();
    rename.mutate(name);
  };
  const admins = group.Participants.filter((p) => p.IsAdmin).length;

  return (
    <section className="flex flex-col gap-4 rounded-lg border border-slate-200 p-4" data-testid="group-detail" data-jid={group.JID} aria-label={`Group ${group.Name}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h3 className="break-words font-semibold text-slate-900">{group.Name || '(no name)'}</h3>
          <p className="text-sm text-slate-500">
            {group.Size} participants, {admins} {admins === 1 ? 'admin' : 'admins'}
            {group.Topic ? ` · ${group.Topic}` : ''}
          </p>
        </div>
        <Button variant="ghost" className="text-rose-700" onClick={() => { leave.reset(); setConfirmLeave(true); }}>
          Leave group
        </Button>
      </div>

      <form onSubmit={submitRename} className="flex flex-wrap items-end gap-2">
        <label className="flex min-w-[12rem] flex-1 flex-col gap-1.5 text-sm">
          <span className="font-medium text-slate-700">Group name</span>
          <TextInput value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </label>
        <Button type="submit" variant="secondary" busy={rename.isPending} disabled={!name.trim() || name.trim() === group.Name}>
          Rename
        </Button>
      </form>
      <ErrorNote>{rename.error && `Rename: ${errorMessage(rename.error, { action: true })}`}</ErrorNote>

      <div className="flex flex-col gap-1.5 text-sm">
        <span className="font-medium text-slate-700">Invite link</span>
        {link.isPending ? (
          <Spinner label="Asking WhatsApp for the invite link" />
        ) : link.error ? (
          <p className="text-slate-500" data-testid="invite-link-error">{errorMessage(link.error, { action: true })}</p>
        ) : (
          <div className="flex flex-wrap items-center gap-2">
            <code className="min-w-0 flex-1 break-all rounded-lg bg-slate-100 px-3 py-2 font-mono text-xs text-slate-800" data-testid="invite-link">
              {link.data.InviteLink}
            </code>
            <CopyButton key={link.data.InviteLink} text={link.data.InviteLink} selectTarget={() => document.querySelector<HTMLElement>(`[data-testid="invite-link"]`)} />
            <Button variant="secondary" busy={reset.isPending} onClick={() => reset.mutate()} title="Revoke this link (it stops working) and get a new one">
              Reset link
            </Button>
          </div>
        )}
        <ErrorNote>{reset.error && `Reset link: ${errorMessage(reset.error, { action: true })}`}</ErrorNote>
      </div>

      <div className="flex flex-col gap-1.5 text-sm">
        <span className="font-medium text-slate-700">Participants</span>
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-100" aria-label="Participants">
          {group.Participants.map((p) => (
            <MemberRow key={p.JID ?? p.LID} member={p} mine={isMe(p, me)} />
          ))}
        </ul>
      </div>

      <Dialog open={confirmLeave} onClose={() => setConfirmLeave(false)} title="Leave this group?">
        <p className="text-sm text-slate-600">
          This account leaves “{group.Name}”: it no longer receives the group’s messages, and only an admin can add it back.
        </p>
        <ErrorNote>{leave.error && errorMessage(leave.error, { action: true })}</ErrorNote>
        <DialogActions onCancel={() => setConfirmLeave(false)}>
          <Button variant="danger" busy={leave.isPending} onClick={() => leave.mutate()}>Leave</Button>
        </DialogActions>
      </Dialog>
    </section>
  );
}

function MemberRow({ member: p, mine }: { member: Member; mine: boolean }) {
  return (
    <li className="flex flex-wrap items-center justify-between gap-2 px-3 py-2" data-testid="participant-row" data-jid={p.JID ?? ''} data-lid={p.LID ?? ''} data-admin={p.IsAdmin}>
      <span className="min-w-0">
        <span className="block font-mono text-slate-800">{phoneOf(p.JID) ?? p.LID}</span>
        <span className="block break-all font-mono text-xs text-slate-500">
          {[p.JID, p.LID].filter(Boolean).join(' · ')}
        </span>
      </span>
      <span className="flex items-center gap-1.5">
        {mine && <Pill tone="blue">this account</Pill>}
        {p.IsSuperAdmin ? <Pill tone="green">super admin</Pill> : p.IsAdmin ? <Pill tone="green">admin</Pill> : null}
      </span>
    </li>
  );
}

'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { trpc, errorMessage, type RouterOutputs } from '../trpc';
import { Button } from '../../ui/button';
import { Card, EmptyState, ErrorNote } from '../../ui/card';
import { TimeAgo } from '../../ui/time';
import { RoleBadge } from './role-badge';
import { NewAccountDialog } from './new-account-dialog';
import { ResetPasswordDialog } from './reset-password-dialog';
import { DeleteAccountDialog } from './delete-account-dialog';
import { DataTable } from '../../ui/table';

export type AccountItem = RouterOutputs['account']['list'][number];

export const ACCOUNTS_KEY = ['account.list'] as const;

/** The dashboard accounts (admin): list, create, reset a password, delete. */
export function AccountsPanel({ initial, currentAccountId }: { initial: AccountItem[]; currentAccountId: string }) {
  const queryClient = useQueryClient();
  const accounts = useQuery({ queryKey: ACCOUNTS_KEY, queryFn: () => trpc.account.list.query(), initialData: initial, initialDataUpdatedAt: Date.now() });
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<AccountItem | null>(null);
  const [deleting, setDeleting] = useState<AccountItem | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ACCOUNTS_KEY });
  const list = accounts.data;
  const admins = list.filter((a) => a.role === 'admin').length;
  /** Why an account cannot be deleted (the server refuses the same), or null when it can. */
  const deletable = (a: AccountItem): string | null => {
    if (a.id === currentAccountId) return 'Your own account';
    const owned = a.sessions ?? 0;
    if (owned > 0) return `Owns ${owned} session${owned === 1 ? '' : 's'}: delete ${owned === 1 ? 'it' : 'them'} first`;
    if (a.role === 'admin' && admins <= 1) return 'The last admin';
    return null;
  };

  return (
    <>
      <Card
        title="Accounts"
        description={`${list.length} account${list.length === 1 ? '' : 's'} can sign in to this dashboard. Tenants see only their own sessions.`}
        actions={<Button onClick={() => setCreating(true)}>New account</Button>}
      >
        <div className="flex flex-col gap-3">
          <ErrorNote>{accounts.error && `Could not refresh the accounts: ${errorMessage(accounts.error)}`}</ErrorNote>
          {list.length === 0 ? (
            <EmptyState title="No accounts yet">Create one for each person who should manage sessions.</EmptyState>
          ) : (
            <DataTable columns={[{ label: 'E-mail' }, { label: 'Name' }, { label: 'Role' }, { label: 'Sessions', align: 'right' }, { label: 'Created' }, { label: 'Actions', srOnly: true }]} minWidth="44rem" caption="Dashboard accounts">
                  {list.map((a) => (
                    <tr key={a.id} data-testid="account-row" data-email={a.email} className="hover:bg-slate-50">
                      <th scope="row" className="px-5 py-3 font-medium text-slate-900">
                        <span className="break-all">{a.email}</span>
                        {a.id === currentAccountId && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}
                      </th>
                      <td className="px-5 py-3 text-slate-600">{a.name ?? <span className="text-slate-400">—</span>}</td>
                      <td className="px-5 py-3"><RoleBadge role={a.role} /></td>
                      <td className="px-5 py-3 text-right tabular-nums text-slate-600">{a.sessions ?? 0}</td>
                      <td className="px-5 py-3 text-slate-600"><TimeAgo iso={a.createdAt} /></td>
                      <td className="px-5 py-3">
                        <div className="flex flex-col items-end gap-1 sm:flex-row sm:justify-end">
                          <Button variant="ghost" className="whitespace-nowrap" onClick={() => setResetting(a)} aria-label={`Reset password of ${a.email}`}>
                            Reset password
                          </Button>
                          {deletable(a) === null ? (
                            <Button variant="ghost" className="text-rose-700" onClick={() => setDeleting(a)} aria-label={`Delete ${a.email}`}>
                              Delete
                            </Button>
                          ) : (
                            <span data-testid="no-delete" className="max-w-[12rem] px-3 py-2 text-right text-xs text-slate-500">{deletable(a)}</span>
                          )}
                        </div>
                      </td>
                    </tr>
                  ))}
                </DataTable>
          )}
        </div>
      </Card>
      <NewAccountDialog open={creating} onClose={() => setCreating(false)} onCreated={refresh} />
      <ResetPasswordDialog account={resetting} onClose={() => setResetting(null)} />
      <DeleteAccountDialog account={deleting} onClose={() => setDeleting(null)} onDeleted={refresh} />
    </>
  );
}

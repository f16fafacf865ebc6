import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireActor } from '../../_lib/current-actor';
import { listAccounts } from '../../../server/services/account.service';
import { listSessionsFor } from '../../../server/services/access.service';
import { serverStats } from '../../../server/services/server-stats.service';
import { ServerHealth } from '../../../components/dashboard/admin/server-health';
import { AccountsPanel } from '../../../components/dashboard/admin/accounts-panel';
import { SessionsList } from '../../../components/dashboard/sessions-list';
import { AuditPanel } from '../../../components/dashboard/admin/audit-panel';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Admin · WaGo' };

/** Admins only (anyone else gets a 404): server health, accounts and every tenant's sessions. */
export default async function AdminPage() {
  const actor = await requireActor('/dashboard/admin');
  if (actor.role !== 'admin') notFound();
  const [accounts, sessions] = await Promise.all([listAccounts(actor), listSessionsFor(actor)]);
  const stats = serverStats();
  return (
    <div className="flex flex-col gap-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Admin</h1>
        <p className="mt-1 text-sm text-slate-500">Server health, dashboard accounts and the sessions of every tenant.</p>
      </div>
      <ServerHealth initial={stats} />
      <AccountsPanel initial={accounts} currentAccountId={actor.id} />
      <section aria-labelledby="all-sessions" className="flex flex-col gap-3">
        <div>
          <h2 id="all-sessions" className="text-lg font-semibold text-slate-900">All sessions</h2>
          <p className="mt-0.5 text-sm text-slate-500">Every session across tenants, with its owner.</p>
        </div>
        <SessionsList initial={sessions} showOwner />
      </section>
      <AuditPanel />
    </div>
  );
}

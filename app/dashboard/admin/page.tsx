import type { Metadata } from 'next';
import { forbidden } from 'next/navigation';
import { requireActor } from '../../_lib/current-actor';
import { listAccounts } from '../../../server/services/account.service';
import { listSessionsPage } from '../../../server/services/session-list.service';
import { listServers } from '../../../server/services/servers.service';
import { ServersPanel } from '../../../components/dashboard/admin/servers-panel';
import { serverStats } from '../../../server/services/server-stats.service';
import { ServerHealth } from '../../../components/dashboard/admin/server-health';
import { AccountsPanel } from '../../../components/dashboard/admin/accounts-panel';
import { SessionsList } from '../../../components/dashboard/sessions-list';
import { AuditPanel } from '../../../components/dashboard/admin/audit-panel';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Admin · WaGo' };

/** Admins only (anyone else gets the 403 page): server health, accounts and every tenant's sessions. */
export default async function AdminPage() {
  const actor = await requireActor('/dashboard/admin');
  if (actor.role !== 'admin') forbidden();
  const [accounts, sessions, servers] = await Promise.all([listAccounts(actor), listSessionsPage(actor), listServers()]);
  const stats = serverStats();
  return (
    <div className="flex flex-col gap-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Admin</h1>
        <p className="mt-1 text-sm text-slate-500">Server health, the WaGo processes, dashboard accounts and the sessions of every tenant.</p>
      </div>
      <ServerHealth initial={stats} />
      <ServersPanel initial={servers} />
      <AccountsPanel initial={accounts} currentAccountId={actor.id} />
      <section aria-labelledby="all-sessions" className="flex flex-col gap-3">
        <div>
          <h2 id="all-sessions" className="text-lg font-semibold text-slate-900">All sessions</h2>
          <p className="mt-0.5 text-sm text-slate-500">Every session across tenants, with its owner.</p>
        </div>
        <SessionsList initial={sessions} showOwner owners={accounts.map((a) => ({ id: a.id, email: a.email }))} />
      </section>
      <AuditPanel />
    </div>
  );
}

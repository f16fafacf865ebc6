import type { Metadata } from 'next';
import { requireActor } from '../../_lib/current-actor';
import { Card } from '../../../components/ui/card';
import { RoleBadge } from '../../../components/dashboard/admin/role-badge';
import { ChangePasswordForm } from '../../../components/dashboard/account/change-password-form';
import { ApiKeysPanel } from '../../../components/dashboard/account/api-keys-panel';
import { listApiKeys } from '../../../server/services/api-key.service';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Account · WaGo' };

export default async function AccountPage() {
  const actor = await requireActor('/dashboard/account');
  const apiKeys = await listApiKeys(actor);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Account</h1>
        <p className="mt-1 text-sm text-slate-500">The account you are signed in with.</p>
      </div>
      <Card title="Signed in as">
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium text-slate-500">E-mail</dt>
          <dd data-testid="account-email" className="break-all text-slate-900">{actor.email}</dd>
          {actor.name && (
            <>
              <dt className="font-medium text-slate-500">Name</dt>
              <dd className="text-slate-900">{actor.name}</dd>
            </>
          )}
          <dt className="font-medium text-slate-500">Role</dt>
          <dd>
            <RoleBadge role={actor.role} />
            <span className="ml-2 text-slate-500">
              {actor.role === 'admin' ? 'manages accounts and sees every session' : 'sees and manages its own sessions'}
            </span>
          </dd>
        </dl>
      </Card>
      <ApiKeysPanel initial={apiKeys} isAdmin={actor.role === 'admin'} />
      <ChangePasswordForm />
    </div>
  );
}

import type { Metadata } from 'next';
import { requireActor } from '../_lib/current-actor';
import { listSessionsPage } from '../../server/services/session-list.service';
import { SessionsList } from '../../components/dashboard/sessions-list';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sessions · WaGo' };

/** Rendered on the server with the data (first paint shows the list), then kept live in the browser. */
export default async function SessionsPage() {
  const actor = await requireActor('/dashboard');
  const sessions = await listSessionsPage(actor);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Sessions</h1>
        <p className="mt-1 text-sm text-slate-500">
          Each session is one WhatsApp linked device, reached through the REST API with its token.
        </p>
      </div>
      <SessionsList initial={sessions} showOwner={actor.role === 'admin'} />
    </div>
  );
}

import type { Metadata } from 'next';
import { requireActor } from '../../_lib/current-actor';
import { listSessionsFor } from '../../../server/services/access.service';
import { EventHistory } from '../../../components/dashboard/events/event-history';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Events · WaGo' };

/** One event stream over every session the account may see (an admin: all of them), filterable by session. */
export default async function EventsPage() {
  const actor = await requireActor('/dashboard/events');
  const sessions = await listSessionsFor(actor);
  return (
    <div className="flex min-w-0 flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Events</h1>
        <p className="mt-1 text-sm text-slate-500">
          {actor.role === 'admin' ? 'Events of every session across tenants' : 'Events of your sessions'}, stored and live.
        </p>
      </div>
      <EventHistory sessions={sessions.map((s) => ({ id: s.id, name: s.name }))} title="All events" />
    </div>
  );
}

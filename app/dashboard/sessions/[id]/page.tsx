import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireActor } from '../../../_lib/current-actor';
import { sessionDetailFor, type SessionDetail as SessionDetailView } from '../../../../server/services/access.service';
import { sandboxInfo } from '../../../../server/services/sandbox.service';
import { ApiError } from '../../../../server/http/errors';
import { SessionDetail } from '../../../../components/dashboard/session/session-detail';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Session · WaGo' };

/**
 * One session: linking, token, webhook, deliveries, live events and messages. A session the
 * signed-in account may not see answers exactly like one that does not exist (404).
 */
export default async function SessionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor(`/dashboard/sessions/${id}`);
  let session: SessionDetailView;
  try {
    session = await sessionDetailFor(actor, id);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  }
  return <SessionDetail initial={session} sandbox={sandboxInfo()} />;
}

import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { requireActor } from '../../../../_lib/current-actor';
import { requireSessionAccess } from '../../../../../server/services/access.service';
import type { SessionView } from '../../../../../server/services/session.service';
import { ApiError } from '../../../../../server/http/errors';
import { Inbox } from '../../../../../components/dashboard/session/inbox/inbox';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Inbox · WaGo' };

/** A session's chat inbox; a session the account may not see is a 404, as everywhere. */
export default async function InboxPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const actor = await requireActor(`/dashboard/sessions/${id}/inbox`);
  let session: SessionView;
  try {
    session = await requireSessionAccess(actor, id);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    throw error;
  }
  return <Inbox sessionId={session.id} sessionName={session.name} state={session.state} />;
}

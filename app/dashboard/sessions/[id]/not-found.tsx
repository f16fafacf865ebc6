import { StatusPage } from '../../../../components/ui/status-page';

/** A session that does not exist, or that belongs to another account (the two look the same). */
export default function SessionNotFound() {
  return (
    <StatusPage code={404} title="Session not found" back={{ href: '/dashboard', label: 'Back to sessions' }}>
      There is no session with this address, or it belongs to another account. Check the link, or pick a session from your list.
    </StatusPage>
  );
}

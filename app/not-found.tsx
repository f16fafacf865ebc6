import type { Metadata } from 'next';
import { StatusPage } from '../components/ui/status-page';

export const metadata: Metadata = { title: 'Page not found · WaGo' };

/** Any address the dashboard does not have. */
export default function NotFound() {
  return (
    <StatusPage code={404} title="Page not found">
      There is nothing at this address. Check the link, or go back to the dashboard.
    </StatusPage>
  );
}

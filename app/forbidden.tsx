import type { Metadata } from 'next';
import { StatusPage } from '../components/ui/status-page';

export const metadata: Metadata = { title: 'Not allowed · WaGo' };

/** A page the signed-in account may not open (answered with HTTP 403), e.g. Admin for a tenant. */
export default function Forbidden() {
  return (
    <StatusPage code={403} title="Admins only">
      Your account cannot open this page. Ask an admin of this WaGo if you need it.
    </StatusPage>
  );
}

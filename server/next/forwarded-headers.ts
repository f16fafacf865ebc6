import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * Sets X-Forwarded-Proto/-Host/-For on a request before Next.js (and next-auth in it) sees it.
 * next-auth builds its URLs and picks plain or `__Secure-` cookies from these. Behind a trusted
 * proxy (WAGO_TRUST_PROXY=1) the proxy's values stand; otherwise whatever a client sent is
 * replaced by what the connection itself says, so nobody can pose as another host.
 */
export function setForwardedHeaders(req: IncomingMessage, trustProxy: boolean): void {
  const headers = req.headers;
  const proto = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
  const address = req.socket.remoteAddress ?? 'unknown';
  if (!trustProxy) {
    delete headers['x-forwarded-host'];
    headers['x-forwarded-proto'] = proto;
    headers['x-forwarded-for'] = address;
    return;
  }
  headers['x-forwarded-proto'] ??= proto;
  headers['x-forwarded-for'] ??= address;
}

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, with the status it answered. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  status: number;
  eventId: string;
  at: number;
}

/** Decides the status for a request (default 200). */
export type Responder = (req: { path: string; headers: IncomingHttpHeaders; raw: string }, nthForPath: number) => number | Promise<number>;

/**
 * A real webhook receiver on 127.0.0.1 (node:http): records every request, answers what the
 * responder for its path says, and can go down and come back on the same port.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly responders = new Map<string, Responder>();
  private server: Server | undefined;
  port = 0;

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  url(path: string): string {
    return `${this.base}${path}`;
  }

  respond(path: string, responder: Responder): void {
    this.responders.set(path, responder);
  }

  async start(port = this.port): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        const nth = this.requests.filter((r) => r.path === path).length;
        const responder = this.responders.get(path);
        Promise.resolve(responder ? responder({ path, headers: req.headers, raw }, nth) : 200).then(
          (status) => {
            const eventId = String(req.headers['x-wago-event-id'] ?? '');
            this.requests.push({ path, headers: req.headers, raw, status, eventId, at: Date.now() });
            res.writeHead(status, { 'content-type': 'text/plain' });
            res.end(status < 300 ? 'ok' : 'nope');
          },
          (error: unknown) => {
            res.writeHead(599);
            res.end(String(error));
          },
        );
      });
    });
    await new Promise<void>((ready, fail) => {
      server.once('error', fail);
      server.listen(port, '127.0.0.1', () => ready());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Goes down: closes the listener and every open connection. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  }

  /** Requests to a path that were answered 2xx, in arrival order. */
  accepted(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path && r.status >= 200 && r.status < 300);
  }

  forPath(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async waitFor(what: string, predicate: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/**
 * Verifies a delivery exactly as docs/webhooks.md tells receivers to: HMAC-SHA256 with the
 * secret over "<X-WaGo-Timestamp>.<raw body>", hex, prefixed "sha256=", compared in constant time,
 * and a timestamp no more than 5 minutes away.
 */
export function verifyAsDocumented(secret: string, headers: IncomingHttpHeaders, raw: string): boolean {
  const timestamp = String(headers['x-wago-timestamp'] ?? '');
  const signature = String(headers['x-wago-signature'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && timingSafeEqual(a, b);
}

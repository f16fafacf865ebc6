// The webhook receiver of the benchmarks that measure deliveries: a node:http server on
// 127.0.0.1 with keep-alive that answers every request 204 and counts them. What a benchmark
// records of each request is its own: a subclass implements `arrived`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export abstract class BenchReceiver {
  /** How long it takes before answering (0: at once). */
  delayMs = 0;
  /** Requests answered since the start or the last `reset()`. */
  total = 0;
  port = 0;
  private server: Server | undefined;
  private waiter: { count: number; done: () => void } | undefined;

  /** The receiver's address, with `path`. */
  url(path = ''): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async start(): Promise<void> {
    this.server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = () => {
          this.arrived(req.url ?? '/', Buffer.concat(chunks).toString('utf8'), Date.now());
          this.total++;
          res.writeHead(204);
          res.end();
          if (this.waiter && this.total >= this.waiter.count) this.waiter.done();
        };
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    await new Promise<void>((ready) => this.server!.listen(0, '127.0.0.1', () => ready()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** A request to `path` with `body`, answered at `at` (ms since the epoch). */
  protected abstract arrived(path: string, body: string, at: number): void;

  reset(): void {
    this.total = 0;
  }

  /** Resolves once `count` requests were answered since the last reset; rejects after `timeoutMs`. */
  waitForTotal(count: number, timeoutMs: number): Promise<void> {
    if (this.total >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.total} of ${count} deliveries within ${timeoutMs} ms`)), timeoutMs);
      this.waiter = { count, done: () => (clearTimeout(timer), resolve()) };
    });
  }

  /** Closes the listener and every open connection. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  }
}

// The send benchmark's HTTP client. It shares the machine's two cores with WaGo, so it must take
// as little of them as it can (as wrk would): one keep-alive HTTP/1.1 connection per lane, one
// request at a time on it, the request written in one piece, the answer read by its
// Content-Length. undici took 0.4–0.6 ms of CPU per call here; this takes a fraction of that.
import { connect, type Socket } from 'node:net';

export interface LeanAnswer {
  status: number;
  body: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');

export class LeanConnection {
  private chunks: Buffer[] = [];
  private length = 0;
  private waiting: { resolve(answer: LeanAnswer): void; reject(error: Error): void } | null = null;
  private failure: Error | null = null;

  private constructor(private readonly socket: Socket, private readonly host: string) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed by the server')));
  }

  static open(base: string): Promise<LeanConnection> {
    const url = new URL(base);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.off('error', reject);
        resolve(new LeanConnection(socket, url.host));
      });
      socket.once('error', reject);
    });
  }

  /** Sends one request and resolves with the answer's status and body. */
  request(method: string, path: string, headers: Record<string, string>, body = ''): Promise<LeanAnswer> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.waiting) return Promise.reject(new Error('one request at a time on a lean connection'));
    let head = `${method} ${path} HTTP/1.1\r\nhost: ${this.host}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(`${head}\r\n${body}`);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.length);
    const end = all.indexOf(HEADER_END);
    if (end < 0) return;
    const head = all.toString('latin1', 0, end);
    const size = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!size) return this.fail(new Error(`an answer without Content-Length: ${head.split('\r\n', 1)[0]}`));
    const bodyEnd = end + HEADER_END.length + Number(size[1]);
    if (all.length < bodyEnd) {
      this.chunks = [all];
      return;
    }
    this.chunks = all.length > bodyEnd ? [all.subarray(bodyEnd)] : [];
    this.length = all.length - bodyEnd;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.resolve({ status: Number(head.slice(9, 12)), body: all.subarray(end + HEADER_END.length, bodyEnd) });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(error);
  }
}

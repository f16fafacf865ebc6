// The baseline of the webhook benchmark: a bare Node process POSTing events to the receiver, one
// lane per session, each lane one request at a time (the order WaGo keeps), over keep-alive
// connections, signed like WaGo's, with no database. Prints one JSON line when done.
import { request, Agent } from 'node:http';
import { createHmac, randomUUID } from 'node:crypto';

const { RECEIVER_PORT, EVENTS = '5000', SESSIONS = '10' } = process.env;
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const lanes = Number(SESSIONS);
const total = Number(EVENTS);

function post(path: string, body: string): Promise<void> {
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-wago-signature': `sha256=${createHmac('sha256', 'whsec_bench').update(`${timestamp}.`).update(body).digest('hex')}`,
    'x-wago-timestamp': String(timestamp),
  };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: Number(RECEIVER_PORT), path, method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.once('end', () => resolve());
    });
    req.once('error', reject);
    req.end(body);
  });
}

const started = Date.now();
await Promise.all(
  Array.from({ length: lanes }, async (_, lane) => {
    for (let n = lane; n < total; n += lanes) {
      const id = randomUUID();
      await post(`/s${lane}`, JSON.stringify({ id, type: 'Test', sessionId: randomUUID(), timestamp: new Date().toISOString(), data: { message: `bench ${n}` } }));
    }
  }),
);
process.stdout.write(`${JSON.stringify({ ms: Date.now() - started })}\n`);
process.exit(0);

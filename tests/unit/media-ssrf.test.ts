import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isPublicAddress } from '../../server/services/messaging/media/public-address';
import { FetchRefused, safeFetch } from '../../server/services/messaging/media/safe-fetch';

let server: Server;
let base: string;
let port: number;

before(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/host') return void res.writeHead(200).end(req.headers.host);
    if (path === '/file') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
    if (path === '/to-localhost') return void res.writeHead(301, { location: `http://localhost:${port}/file` }).end();
    if (path === '/to-file') return void res.writeHead(302, { location: '/file' }).end();
    if (path.startsWith('/loop/')) return void res.writeHead(302, { location: `/loop/${Number(path.slice(6)) + 1}` }).end();
    if (path === '/to-ftp') return void res.writeHead(302, { location: 'ftp://example.org/x' }).end();
    if (path === '/hang') return; // never answers
    if (path === '/big') return void res.writeHead(200, { 'content-length': 5000 }).end(Buffer.alloc(5000));
    if (path === '/big-chunked') {
      res.writeHead(200);
      res.write(Buffer.alloc(3000));
      return void res.end(Buffer.alloc(3000));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

test('isPublicAddress: only globally routable unicast is public', () => {
  for (const a of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '93.184.216.34']) assert.equal(isPublicAddress(a), true, a);
  const privateOnes = ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '255.255.255.255', '224.0.0.1',
    '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '2001:db8::1', '64:ff9b::7f00:1', '2002:7f00:1::1', 'ff02::1', 'not-an-ip'];
  for (const a of privateOnes) assert.equal(isPublicAddress(a), false, a);
  assert.equal(isPublicAddress('::ffff:8.8.8.8'), true, 'IPv4-mapped public address is judged as IPv4');
});

async function refused(promise: Promise<unknown>, message: RegExp, kind?: FetchRefused['kind']): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof FetchRefused, String(error));
    assert.match(error.message, message);
    if (kind) assert.equal(error.kind, kind);
    return true;
  });
}

test('safeFetch refuses private addresses (literal and resolved) unless allowed', async () => {
  await refused(safeFetch(`${base}/file`, { allowPrivate: false, maxBytes: 1000 }), /^URL resolves to a private address 127\.0\.0\.1$/, 'refused');
  await refused(safeFetch(`http://localhost:${port}/file`, { allowPrivate: false, maxBytes: 1000 }), /^URL resolves to a private address (127\.0\.0\.1|::1)$/, 'refused');
  await refused(safeFetch(`http://[::ffff:127.0.0.1]:${port}/file`, { allowPrivate: false, maxBytes: 1000 }), /private address/);
  const ok = await safeFetch(`${base}/file`, { allowPrivate: true, maxBytes: 1000 });
  assert.equal(ok.data.toString(), 'hello');
  assert.equal(ok.contentType, 'text/plain');
  // localhost may resolve to ::1 first; the server listens on 127.0.0.1 only: the next checked address is tried.
  const byName = await safeFetch(`http://localhost:${port}/file`, { allowPrivate: true, maxBytes: 1000 });
  assert.equal(byName.data.toString(), 'hello');
});

test('safeFetch resolves once per hop and connects to the checked address (no second lookup)', async () => {
  const calls: string[] = [];
  // A rebinding resolver: a second lookup would answer another address.
  const rebinding = async (host: string) => {
    calls.push(host);
    return [{ address: calls.length === 1 ? '127.0.0.1' : '10.0.0.1', family: 4 }];
  };
  const got = await safeFetch(`http://media.example.test:${port}/host`, { allowPrivate: true, maxBytes: 100, resolve: rebinding });
  assert.equal(got.data.toString(), `media.example.test:${port}`, 'reached the checked address, Host header kept');
  assert.deepEqual(calls, ['media.example.test'], 'one lookup');
  await refused(safeFetch(`http://media.example.test:${port}/host`, { allowPrivate: false, maxBytes: 100, resolve: async () => [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }] }), /private address 127\.0\.0\.1/);
});

test('safeFetch re-checks every redirect target and caps redirects', async () => {
  const trustFirst = (u: URL) => u.host === `127.0.0.1:${port}`;
  // The first host is trusted (like a WhatsApp media host); the redirect to another private host is not.
  await refused(safeFetch(`${base}/to-localhost`, { allowPrivate: false, trustedHost: trustFirst, maxBytes: 1000 }), /private address/, 'refused');
  const followed = await safeFetch(`${base}/to-file`, { allowPrivate: false, trustedHost: trustFirst, maxBytes: 1000 });
  assert.equal(followed.data.toString(), 'hello');
  assert.equal(followed.finalUrl, `${base}/file`);
  await refused(safeFetch(`${base}/loop/0`, { allowPrivate: true, maxBytes: 1000, maxRedirects: 3 }), /^too many redirects \(more than 3\)$/);
  await refused(safeFetch(`${base}/to-ftp`, { allowPrivate: true, maxBytes: 1000 }), /^URL scheme ftp is not allowed/);
});

test('safeFetch enforces the size cap, the deadline and sane URLs', async () => {
  await refused(safeFetch(`${base}/big`, { allowPrivate: true, maxBytes: 1024 }), /^file is 5 KB, larger than 1 KB$/, 'too-large');
  await refused(safeFetch(`${base}/big-chunked`, { allowPrivate: true, maxBytes: 4096 }), /^file is larger than 4 KB$/, 'too-large');
  await refused(safeFetch(`${base}/hang`, { allowPrivate: true, maxBytes: 1024, timeoutMs: 300 }), /^download timed out after 0\.3 s$/, 'failed');
  await refused(safeFetch(`${base}/nope`, { allowPrivate: true, maxBytes: 1024 }), /^download failed: HTTP 404$/, 'failed');
  await refused(safeFetch('not a url', { allowPrivate: true, maxBytes: 1024 }), /^not a valid URL$/);
  await refused(safeFetch(`http://user:pw@127.0.0.1:${port}/file`, { allowPrivate: true, maxBytes: 1024 }), /credentials/);
  await refused(safeFetch('http://no-such-host.invalid/x', { allowPrivate: false, maxBytes: 1024 }), /^could not resolve host no-such-host\.invalid/, 'failed');
});

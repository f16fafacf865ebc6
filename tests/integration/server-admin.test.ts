import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startTestWago, type TestWago } from '../helpers/wago';
import type { LicenseAnswer } from '../../server/services/server-admin/license.service';
import { compareVersions, type UpdateAnswer } from '../../server/services/server-admin/update-check.service';
import pkg from '../../package.json' with { type: 'json' };

let db: TestDatabase;
let feed: Server;
let feedBody: { status: number; text: string } = { status: 200, text: '{}' };
let feedHits = 0;
let wago: TestWago | undefined;

/** One WaGo runs per process: each configuration restarts it. */
async function wagoWith(env: Record<string, string> = {}): Promise<TestWago> {
  await wago?.stop();
  wago = await startTestWago({ databaseUrl: db.url, env });
  return wago;
}

const feedUrl = () => `http://127.0.0.1:${(feed.address() as AddressInfo).port}/releases/latest.json`;

before(async () => {
  db = await createTestDatabase();
  feed = createServer((req, res) => {
    feedHits++;
    res.writeHead(req.url === '/releases/latest.json' ? feedBody.status : 404, { 'content-type': 'application/json' });
    res.end(req.url === '/releases/latest.json' ? feedBody.text : '{}');
  });
  await new Promise<void>((resolve) => feed.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  await wago?.stop();
  await new Promise((r) => feed?.close(r));
  await db?.drop();
});

describe('POST /server/license', () => {
  test('says what licence, version and build this is, and that there is no licence key', async () => {
    const wago = await wagoWith({ WAGO_BUILD: 'abc1234' });
    const r = await wago.call<LicenseAnswer>('POST', '/server/license', { admin: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const data = r.body.data!;
    assert.equal(data.Version, pkg.version);
    assert.equal(data.Build, 'abc1234');
    assert.equal(data.LicenseKey, 'none');
    assert.equal(data.Edition, 'open source');
    assert.equal(data.Node, process.version);
    assert.equal((pkg as { license?: string }).license, 'MIT', 'the package declares its licence');
    assert.equal(data.License, 'MIT', 'the licence package.json declares');
    assert.match(data.Details, /no licence key/);
    assert.match(data.Details, /\(licence: MIT\)\.$/);
  });
  test('admin auth: no token 401, a wrong one refused', async () => {
    const wago = await wagoWith();
    assert.equal((await wago.call('POST', '/server/license')).status, 401);
    assert.ok([401, 403].includes((await wago.call('POST', '/server/license', { admin: 'not-the-admin-token-000' })).status));
    assert.equal((await wago.call('GET', '/server/update')).status, 401);
  });
});

describe('GET /server/update', () => {
  test('without WAGO_UPDATE_FEED_URL: the running version, and plainly no check', async () => {
    const wago = await wagoWith();
    const r = await wago.call<UpdateAnswer>('GET', '/server/update', { admin: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const data = r.body.data!;
    assert.equal(data.CurrentVersion, pkg.version);
    assert.equal(data.Status, 'not-configured');
    assert.equal(data.UpdateAvailable, null);
    assert.equal(data.FeedUrl, null);
    assert.match(data.Details, /No update feed is configured \(WAGO_UPDATE_FEED_URL\)/);
  });

  test('with a feed naming a newer release: update available, nothing changed', async () => {
    const wago = await wagoWith({ WAGO_UPDATE_FEED_URL: feedUrl() });
    feedBody = { status: 200, text: JSON.stringify({ version: '99.1.0', url: 'https://example.org/wago/99.1.0', notes: 'Faster sends', publishedAt: '2026-12-01T00:00:00Z' }) };
    const hits = feedHits;
    const r = await wago.call<UpdateAnswer>('GET', '/server/update', { admin: true });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(feedHits, hits + 1, 'the feed was read once');
    assert.deepEqual(
      { ...r.body.data!, CheckedAt: undefined, Details: undefined },
      { CurrentVersion: pkg.version, Status: 'update-available', UpdateAvailable: true, FeedUrl: feedUrl(), LatestVersion: '99.1.0', ReleaseUrl: 'https://example.org/wago/99.1.0', Notes: 'Faster sends', PublishedAt: '2026-12-01T00:00:00Z', CheckedAt: undefined, Details: undefined },
    );
    assert.match(r.body.data!.Details, /Nothing was changed/);
    // The installation is untouched: same version still running.
    assert.equal((await wago.call<{ version: string }>('GET', '/server/ok')).body.data!.version, pkg.version);

    feedBody = { status: 200, text: JSON.stringify({ version: pkg.version }) };
    const same = await wago.call<UpdateAnswer>('GET', '/server/update', { admin: true });
    assert.equal(same.body.data!.Status, 'up-to-date');
    assert.equal(same.body.data!.UpdateAvailable, false);
  });

  test('a feed that fails or is unreadable is reported as unreachable, with the reason', async () => {
    const wago = await wagoWith({ WAGO_UPDATE_FEED_URL: feedUrl() });
    feedBody = { status: 503, text: '{}' };
    const down = await wago.call<UpdateAnswer>('GET', '/server/update', { admin: true });
    assert.equal(down.status, 200);
    assert.equal(down.body.data!.Status, 'unreachable');
    assert.equal(down.body.data!.UpdateAvailable, null);
    assert.match(down.body.data!.Details, /HTTP 503/);
    feedBody = { status: 200, text: '{"latest": true}' };
    const bad = await wago.call<UpdateAnswer>('GET', '/server/update', { admin: true });
    assert.equal(bad.body.data!.Status, 'unreachable');
    assert.match(bad.body.data!.Details, /no semantic "version"/);

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const nowhere = await wagoWith({ WAGO_UPDATE_FEED_URL: `http://127.0.0.1:${port}/feed.json` });
    const refused = await nowhere.call<UpdateAnswer>('GET', '/server/update', { admin: true });
    assert.equal(refused.body.data!.Status, 'unreachable');
    assert.match(refused.body.data!.Details, /ECONNREFUSED/);
  });

  test('versions compare semantically', () => {
    assert.ok(compareVersions('0.10.0', '0.9.9') > 0);
    assert.ok(compareVersions('1.0.0-rc.1', '1.0.0') < 0);
    assert.ok(compareVersions('1.0.0-rc.10', '1.0.0-rc.2') > 0);
    assert.equal(compareVersions('v1.2.3', '1.2.3'), 0);
  });
});

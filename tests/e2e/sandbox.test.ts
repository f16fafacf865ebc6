import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnWago, type WagoProcess } from '../helpers/spawn-wago';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { listen, waitFor } from '../helpers/emulated-wago';

let wago: WagoProcess | undefined;
let db: TestDatabase | undefined;
after(async () => {
  await wago?.kill('SIGTERM');
  await db?.drop();
});

test('WAGO_SANDBOX=1: link a session to a simulated phone and receive a message, over HTTP only', async () => {
  db = await createTestDatabase();
  const admin = 'sandbox-admin-token-0123456789';
  const running = await spawnWago({ DATABASE_URL: db.url, WAGO_SANDBOX: '1', WAGO_ADMIN_TOKEN: admin });
  wago = running;
  const banner = running.output();
  const control = /control API (http:\/\/\S+)/.exec(banner)?.[1];
  assert.ok(control, `the banner names the sandbox control API:\n${banner}`);
  assert.match(banner, /Simulated phones: .*\+15550001000/);

  const post = async <T>(url: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return (await res.json()) as T;
  };
  const init = await post<{ data: { token: string } }>(`${running.url}/session/init`, { Name: 'sandbox' }, { admintoken: admin });
  const token = init.data.token;
  const connect = await post<{ data: { State: string } }>(`${running.url}/session/connect`, {}, { token });
  assert.equal(connect.data.State, 'qr');
  const qr = (await (await fetch(`${running.url}/session/qr`, { headers: { token } })).json()) as { data: { Code: string } };
  const scanned = await post<{ jid?: string }>(`${control}/pairing/qr/scan`, { qr: qr.data.Code, phone: '15550001000' });
  assert.match(JSON.stringify(scanned), /15550001000/);
  await waitFor('connected', async () => ((await (await fetch(`${running.url}/session/status`, { headers: { token } })).json()) as { data: { Connected: boolean } }).data.Connected);

  const live = await listen(running.url, token);
  await post(`${control}/accounts/15550002001/send`, { to: '15550001000', text: 'hi from the sandbox' });
  const message = await live.next('Message', (e) => (e.data as { text?: string }).text === 'hi from the sandbox');
  assert.equal((message.data as { from: { jid: string } }).from.jid, '15550002001@s.whatsapp.net');
  live.socket.close();
});

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { wagoForFile, type FileWago } from './wago-per-file';
import { WebhookReceiver } from './webhook-receiver';

export interface WebhookSession {
  id: string;
  token: string;
}

/** What `POST /webhook` answers. */
export interface WebhookSettings {
  WebhookURL: string;
  Events: string[];
  Format: 'json' | 'form';
  HasSecret: boolean;
  Secret?: string;
}

/** A test file's own WaGo and webhook receiver, with the calls the webhook tests make; `D` is the shape a delivery is read as. */
export interface WebhookFile<D> extends FileWago {
  readonly receiver: WebhookReceiver;
  /** Creates a session (admin token). */
  newSession(name: string): Promise<WebhookSession>;
  /** Sets the session's webhook; asserts it was accepted. */
  setHook(s: WebhookSession, body: Record<string, unknown>): Promise<WebhookSettings>;
  /** The session's deliveries (`GET /webhook/events`, with `query`); asserts the answer is 200. */
  deliveries(s: WebhookSession, query?: string): Promise<D[]>;
  /** Publishes `n` Message events on the session's event bus; returns their ids. */
  publish(s: WebhookSession, n: number, data?: (i: number) => Record<string, unknown>): Promise<string[]>;
}

/** A `FileWago` and a webhook receiver, started before the file's tests and stopped after them; call it once, at the top of the file. */
export function webhookWagoForFile<D>(): WebhookFile<D> {
  const file = wagoForFile();
  const receiver = new WebhookReceiver();
  before(() => receiver.start());
  after(() => receiver.stop());
  return {
    get wago() {
      return file.wago;
    },
    get db() {
      return file.db;
    },
    receiver,
    async newSession(name) {
      const r = await file.wago.call<{ token: string; session: { id: string } }>('POST', '/session/init', { admin: true, body: { Name: name } });
      assert.equal(r.status, 200);
      return { id: r.body.data!.session.id, token: r.body.data!.token };
    },
    async setHook(s, body) {
      const r = await file.wago.call<WebhookSettings>('POST', '/webhook', { token: s.token, body });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.data!;
    },
    async deliveries(s, query = '') {
      const r = await file.wago.call<D[]>('GET', `/webhook/events${query}`, { token: s.token });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.data!;
    },
    async publish(s, n, data = (i) => ({ n: i })) {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) ids.push((await file.wago.runtime.events.publish(s.id, 'Message', data(i))).id);
      return ids;
    },
  };
}

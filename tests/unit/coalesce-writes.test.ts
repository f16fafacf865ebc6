import { test } from 'node:test';
import assert from 'node:assert/strict';
import { until } from '../helpers/until';
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { coalesceWrites } from '../../server/lib/coalesce-writes';

/** A connected pair of loopback sockets; `received` collects what the server side got. */
async function pair(): Promise<{ client: Socket; received: () => string; close: () => void }> {
  let data = '';
  let serverSide: Socket | undefined;
  const server = createServer((s) => {
    serverSide = s;
    s.on('data', (chunk) => (data += chunk.toString()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = connect((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', resolve));
  return {
    client,
    received: () => data,
    close: () => {
      client.destroy();
      serverSide?.destroy();
      server.close();
    },
  };
}

test('the writes of one turn leave in one system call, in order, and every write callback runs', async () => {
  const { client, received, close } = await pair();
  try {
    coalesceWrites(client);
    const calls: string[] = [];
    const socket = client as unknown as { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
    const single = socket._write.bind(client);
    const vector = socket._writev.bind(client);
    socket._write = (...a) => (calls.push('write'), single(...a));
    socket._writev = (...a) => (calls.push(`writev:${(a[0] as unknown[]).length}`), vector(...a));
    let callbacks = 0;
    for (let i = 0; i < 5; i++) client.write(`m${i};`, () => callbacks++);
    assert.deepEqual(calls, [], 'nothing written during the turn');
    await until(() => received().length === 15 && callbacks === 5);
    assert.deepEqual(calls, ['writev:5']);
    assert.equal(received(), 'm0;m1;m2;m3;m4;');
    assert.equal(callbacks, 5);
    // A later turn is flushed the same way.
    client.write('m5;');
    await until(() => received().endsWith('m5;'));
    assert.deepEqual(calls, ['writev:5', 'write']);
  } finally {
    close();
  }
});

test('coalescing twice changes nothing, and end() still flushes what was written', async () => {
  const { client, received, close } = await pair();
  try {
    coalesceWrites(client);
    coalesceWrites(client);
    client.write('a;');
    client.end('b;');
    await until(() => received() === 'a;b;');
    assert.equal(received(), 'a;b;');
  } finally {
    close();
  }
});

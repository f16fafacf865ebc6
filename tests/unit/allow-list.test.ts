import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllowList } from '../../server/http/allow-list';

test('an empty list allows nobody (no matcher)', () => {
  assert.equal(parseAllowList(undefined), undefined);
  assert.equal(parseAllowList(' , '), undefined);
});

test('addresses and CIDR ranges, IPv4 and IPv6; IPv4-mapped IPv6 addresses match IPv4 entries', () => {
  const allowed = parseAllowList('10.0.0.5, 192.168.1.0/24, fd00::/8, ::1')!;
  assert.ok(allowed('10.0.0.5'));
  assert.ok(!allowed('10.0.0.6'));
  assert.ok(allowed('192.168.1.200'));
  assert.ok(allowed('::ffff:192.168.1.7'));
  assert.ok(!allowed('192.168.2.1'));
  assert.ok(allowed('fd12::3'));
  assert.ok(allowed('::1'));
  assert.ok(!allowed('127.0.0.1'));
  assert.ok(!allowed(undefined));
  assert.ok(!allowed('not-an-address'));
});

test('a wrong entry is refused, naming it', () => {
  assert.throws(() => parseAllowList('10.0.0.0/33'), /10\.0\.0\.0\/33 has a bad prefix length/);
  assert.throws(() => parseAllowList('example.org'), /example\.org is not an IP address/);
});

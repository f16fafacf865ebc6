import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeFailure, UNREACHABLE_ACTION, UNREACHABLE_RETRYING } from '../../components/dashboard/error-wording';

// What a dashboard user reads for a failed call: dashboard words, never the API's.

test('a session that must be connected or linked offers the button that does it, in dashboard words', () => {
  const notConnected = describeFailure({ message: 'session is not connected: POST /session/connect first', code: 'CONFLICT', answered: true });
  assert.deepEqual(notConnected, { message: 'This session is not connected.', fix: 'connect', unreachable: false });
  const notLinked = describeFailure({ message: 'this session has no WhatsApp account yet', code: 'CONFLICT', answered: true });
  assert.equal(notLinked.message, 'This session is not linked to WhatsApp yet.');
  assert.equal(notLinked.fix, 'link');
  const noQr = describeFailure({ message: 'no QR code: the session is logged_out (POST /session/connect starts linking)', code: 'CONFLICT', answered: true });
  assert.equal(noQr.message, 'No QR code right now: the session is logged out.');
});

test('no REST paths and no internal field names reach the page', () => {
  const own = describeFailure({ message: 'id: you cannot delete your own account', code: 'BAD_REQUEST', answered: true });
  assert.equal(own.message, 'You cannot delete your own account.');
  const owns = describeFailure({ message: 'id: the account still owns 2 sessions; delete them first', code: 'CONFLICT', answered: true });
  assert.equal(owns.message, 'The account still owns 2 sessions; delete them first.');
  const label = describeFailure({ message: 'LabelId: this account has no label 7 (create it with POST /label/edit)', code: 'NOT_FOUND', answered: true });
  assert.equal(label.message, 'LabelId: this account has no label 7.');
  const webhook = describeFailure({ message: 'WebhookURL is not set for this session: set it with POST /webhook first', code: 'CONFLICT', answered: true });
  assert.equal(webhook.message, 'Set a webhook URL and save it first.');
  for (const d of [own, owns, label, webhook, describeFailure({ message: 'this account has no push name yet: set one with POST /user/name first', code: 'CONFLICT', answered: true })]) {
    assert.doesNotMatch(d.message, /\b(GET|POST|PUT|DELETE) \//, d.message);
    assert.doesNotMatch(d.message, /^id: /, d.message);
  }
});

test('form fields keep their label; input errors stay precise', () => {
  assert.equal(describeFailure({ message: 'name: must not be empty', code: 'BAD_REQUEST', answered: true }).message, 'Name: must not be empty.');
  assert.equal(describeFailure({ message: 'next: must be at least 10 characters', code: 'BAD_REQUEST', answered: true }).message, 'New password: must be at least 10 characters.');
  assert.equal(describeFailure({ message: 'current: the current password is wrong', code: 'BAD_REQUEST', answered: true }).message, 'The current password is wrong.');
});

test('a network failure says the server cannot be reached, never "Failed to fetch"', () => {
  for (const message of ['Failed to fetch', 'NetworkError when attempting to fetch resource.', 'Load failed']) {
    const d = describeFailure({ message, answered: false });
    assert.deepEqual(d, { message: UNREACHABLE_RETRYING, unreachable: true });
    assert.equal(describeFailure({ message, answered: false }, { action: true }).message, UNREACHABLE_ACTION);
  }
  assert.match(UNREACHABLE_RETRYING, /^Can’t reach the server — retrying/);
});

test('signed out, refused and server faults read as such', () => {
  assert.deepEqual(describeFailure({ message: 'sign in first', code: 'UNAUTHORIZED', answered: true }), { message: 'You are signed out: sign in again.', fix: 'sign-in', unreachable: false });
  assert.equal(describeFailure({ message: 'only an admin may do this', code: 'FORBIDDEN', answered: true }).message, 'Only an admin can do this.');
  assert.equal(describeFailure({ message: 'cross-site request refused', code: 'FORBIDDEN', answered: true }).fix, 'reload');
  const fault = describeFailure({ message: 'Invalid `prisma.session.update()` invocation', code: 'INTERNAL_SERVER_ERROR', answered: true });
  assert.match(fault.message, /^Something went wrong on the server/);
  assert.equal(describeFailure({ message: 'sessionId: no such session', code: 'NOT_FOUND', answered: true }).message, 'This session no longer exists, or it belongs to another account.');
});

test('a dashboard call over the account’s limit says when to try again', () => {
  const one = describeFailure({ message: 'too many dashboard calls from this account (limit 20/s, burst 60); retry in 1 s', code: 'TOO_MANY_REQUESTS', answered: true });
  assert.deepEqual(one, { message: 'Too many requests from this account right now: try again in 1 second.', fix: undefined, unreachable: false });
  const three = describeFailure({ message: 'too many dashboard calls from this account (limit 0.5/s, burst 3); retry in 3 s', code: 'TOO_MANY_REQUESTS', answered: true });
  assert.equal(three.message, 'Too many requests from this account right now: try again in 3 seconds.');
});

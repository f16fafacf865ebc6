/**
 * The one place that turns an API or dashboard-call failure into the words a dashboard user reads:
 * no REST paths ("POST /session/connect first"), no internal field names ("id: …"), no bare
 * "Failed to fetch". Pure (no React, no tRPC import) so that it can be tested on its own.
 */

/** What the page can offer next to the message: the button that fixes the problem. */
export type ErrorFix = 'connect' | 'link' | 'sign-in' | 'reload';

export interface DashboardError {
  message: string;
  fix?: ErrorFix;
  /** The server could not be reached at all (the call may succeed once it is back). */
  unreachable: boolean;
}

/** The parts of a failed call the wording depends on (a TRPCClientError has them all). */
export interface FailedCall {
  message: string;
  /** tRPC's error code (`NOT_FOUND`, `CONFLICT`…), when the server answered. */
  code?: string;
  /** Whether the server answered at all (false: the request never got an answer). */
  answered: boolean;
}

/** How a network failure reads, by browser ("Failed to fetch", "NetworkError…", "Load failed"). */
const NETWORK = /failed to fetch|networkerror|load failed|network request failed|fetch failed|unable to transform response/i;

export const UNREACHABLE_RETRYING = 'Can’t reach the server — retrying.';
export const UNREACHABLE_ACTION = 'Can’t reach the server — try again once it is back.';

/** Input fields whose names mean nothing to a user: the message is shown without them. */
const INTERNAL_FIELDS = new Set(['id', 'sessionId', 'eventId', 'groupJid', 'callId', 'current', 'input']);
/** Input fields named as the dashboard's forms label them. */
const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  phone: 'Phone number',
  email: 'E-mail',
  password: 'Password',
  next: 'New password',
  url: 'Webhook URL',
  body: 'Message',
};

/** Known API sentences, in dashboard words (first match wins). */
const REWORDED: Array<{ test: RegExp; message: string | ((m: RegExpMatchArray) => string); fix?: ErrorFix }> = [
  { test: /^session is not connected/i, message: 'This session is not connected.', fix: 'connect' },
  { test: /has no WhatsApp account yet|session is not logged in/i, message: 'This session is not linked to WhatsApp yet.', fix: 'link' },
  { test: /^no QR code: the session is (\w+)/i, message: (m) => `No QR code right now: the session is ${m[1]!.replace('_', ' ')}.` },
  { test: /WebhookURL is not set/i, message: 'Set a webhook URL and save it first.' },
  { test: /has no push name yet/i, message: 'This WhatsApp account has no profile name yet: set one on the phone first.' },
  { test: /^sessionId: no such session$|^session not found$/i, message: 'This session no longer exists, or it belongs to another account.' },
  { test: /^sign in first$/i, message: 'You are signed out: sign in again.', fix: 'sign-in' },
  { test: /^cross-site request refused$/i, message: 'The change was refused because it did not come from this page: reload it and try again.', fix: 'reload' },
  { test: /^only an admin may/i, message: 'Only an admin can do this.' },
  {
    test: /^too many dashboard calls from this account\b.*retry in (\d+) s$/i,
    message: (m) => `Too many requests from this account right now: try again in ${m[1]} second${m[1] === '1' ? '' : 's'}.`,
  },
];

/** "POST /label/edit", "(GET /bot/list)", ": set it with POST /webhook first" and the like, removed. */
function withoutRestPaths(message: string): string {
  return message
    .replace(/\s*\([^()]*\b(?:GET|POST|PUT|PATCH|DELETE) \/[^()]*\)/g, '')
    .replace(/[:;,]\s*[^:;,]*\b(?:GET|POST|PUT|PATCH|DELETE) \/\S+[^:;,]*$/g, '')
    .trim();
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return 'Something went wrong.';
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?…)]$/.test(capital) ? capital : `${capital}.`;
}

/** A failed call in dashboard words, with the fix the page can offer. */
export function describeFailure(call: FailedCall, opts: { action?: boolean } = {}): DashboardError {
  if (!call.answered || (!call.code && NETWORK.test(call.message))) {
    return { message: opts.action ? UNREACHABLE_ACTION : UNREACHABLE_RETRYING, unreachable: true };
  }
  if (call.code === 'INTERNAL_SERVER_ERROR') {
    return { message: 'Something went wrong on the server (it was logged). Try again in a moment.', unreachable: false };
  }
  if (call.code === 'UNAUTHORIZED') return { message: 'You are signed out: sign in again.', fix: 'sign-in', unreachable: false };
  for (const known of REWORDED) {
    const match = call.message.match(known.test);
    if (match) return { message: typeof known.message === 'string' ? known.message : known.message(match), fix: known.fix, unreachable: false };
  }
  let message = withoutRestPaths(call.message);
  const field = message.match(/^([A-Za-z][\w.[\]]*): (.+)$/s);
  if (field) {
    const [, name, rest] = field as unknown as [string, string, string];
    if (INTERNAL_FIELDS.has(name)) message = rest;
    else if (FIELD_LABELS[name]) message = `${FIELD_LABELS[name]}: ${rest}`;
  }
  return { message: sentence(message), unreachable: false };
}

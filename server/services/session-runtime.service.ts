import QRCode from 'qrcode';
import { getRuntime } from '../runtime/registry';
import { sessionRepository, sessionRuntimeRepository } from '../repositories/session.repository';
import { ApiError, badRequest, conflict, notFound, unavailable } from '../http/errors';
import { canonicalSubscription, unknownEventTypeMessage } from '../events/types';
import type { SessionRunner, SessionSnapshot } from '../whatsapp/session-runner';
import { OwnedElsewhereError } from '../whatsapp/session-manager';
import { invalidateWebhookSettings } from './webhook.service';
import { foreignLease, waitingForLeaseMessage } from './session-availability.service';

/** The status of a session that waits for another WaGo process's lease (not a state of the session's own lifecycle). */
export const WAITING_FOR_LEASE = 'waiting_for_lease';

/** What /session/status (and the connect routes) answer. */
export interface SessionStatus {
  Connected: boolean;
  LoggedIn: boolean;
  State: string;
  Jid: string | null;
  Lid: string | null;
  PushName: string | null;
  LastError: string | null;
  Events: string[];
}

async function sessionRow(sessionId: string) {
  const row = await sessionRepository.findById(sessionId);
  if (!row) throw notFound('session not found');
  return { info: { id: row.id, name: row.name, os: row.os }, identity: { jid: row.jid, lid: row.lid, pushName: row.pushName } };
}

/** Connects the session in this process (taking its lease). */
async function startRunner(sessionId: string, opts: { pairPhone?: string } = {}): Promise<SessionRunner> {
  const { info, identity } = await sessionRow(sessionId);
  try {
    return await getRuntime().sessions.connect(info, identity, opts);
  } catch (error) {
    if (error instanceof OwnedElsewhereError) {
      const lease = await foreignLease(sessionId);
      const wait = lease ? (lease.expiresAt.getTime() - Date.now()) / 1000 : 1;
      throw unavailable(`the session runs in another WaGo process that could not be reached${lease ? `: ${waitingForLeaseMessage(lease)}` : ''}`, wait);
    }
    throw error;
  }
}

/** The session's runner in this process (idle when it does not run here). */
async function localRunner(sessionId: string): Promise<SessionRunner> {
  const { info, identity } = await sessionRow(sessionId);
  return getRuntime().sessions.existingOrIdle(info, identity);
}

function toStatus(snapshot: SessionSnapshot, events: string[]): SessionStatus {
  return {
    Connected: snapshot.connected,
    LoggedIn: snapshot.loggedIn,
    State: snapshot.state,
    Jid: snapshot.jid,
    Lid: snapshot.lid,
    PushName: snapshot.pushName,
    LastError: snapshot.lastError,
    Events: events,
  };
}

/** Parses `Subscribe`: "All" or comma-separated event types, by the webhook `Events` rules. */
export function parseSubscription(raw: string): string[] {
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const checked = canonicalSubscription(names);
  if ('unknownAt' in checked) throw badRequest(unknownEventTypeMessage('Subscribe', names, checked.unknownAt));
  return checked.names;
}

export async function getSessionStatus(sessionId: string): Promise<SessionStatus> {
  const row = await sessionRepository.findById(sessionId);
  if (!row) throw notFound('session not found');
  const sessions = getRuntime().sessions;
  const runner = sessions.get(sessionId);
  if (runner && sessions.runsLocally(sessionId)) return toStatus(runner.snapshot(), row.events);
  const lease = await foreignLease(sessionId);
  if (lease) {
    // Answered here only when the owner cannot be reached (or has no URL): it may be dead.
    return {
      Connected: false,
      LoggedIn: row.jid !== null && row.loggedInAt !== null,
      State: WAITING_FOR_LEASE,
      Jid: row.jid,
      Lid: row.lid,
      PushName: row.pushName,
      LastError: waitingForLeaseMessage(lease),
      Events: row.events,
    };
  }
  if (runner) return toStatus(runner.snapshot(), row.events);
  return {
    Connected: false,
    LoggedIn: row.jid !== null && row.loggedInAt !== null,
    State: row.state === 'connected' || row.state === 'connecting' || row.state === 'qr' || row.state === 'pairing' ? 'disconnected' : row.state,
    Jid: row.jid,
    Lid: row.lid,
    PushName: row.pushName,
    LastError: row.lastError,
    Events: row.events,
  };
}

/** Starts (or keeps) the session's connection; unless `immediate`, waits for its outcome. */
export async function connectSession(sessionId: string, opts: { subscribe?: string; immediate?: boolean; pairPhone?: string }): Promise<SessionStatus> {
  if (opts.subscribe !== undefined) {
    await sessionRuntimeRepository.update(sessionId, { events: parseSubscription(opts.subscribe) });
    invalidateWebhookSettings(sessionId);
  }
  const runner = await startRunner(sessionId, { pairPhone: opts.pairPhone });
  if (!opts.immediate) await runner.waitSettled(25_000);
  return getSessionStatus(sessionId);
}

export async function disconnectSession(sessionId: string): Promise<SessionStatus> {
  const runner = getRuntime().sessions.get(sessionId);
  if (!runner || runner.state === 'disconnected') throw conflict('session is not connected');
  await runner.disconnect();
  return getSessionStatus(sessionId);
}

export async function logoutSession(sessionId: string): Promise<SessionStatus> {
  const runner = await localRunner(sessionId);
  const snapshot = runner.snapshot();
  if (!snapshot.loggedIn && snapshot.state !== 'qr' && snapshot.state !== 'pairing') throw conflict('session is not logged in');
  await runner.logout();
  return getSessionStatus(sessionId);
}

export interface QrAnswer {
  QRCode: string;
  Code: string;
  ExpiresAt: string;
}

export async function getSessionQr(sessionId: string): Promise<QrAnswer> {
  const runner = getRuntime().sessions.get(sessionId);
  const snapshot = runner?.snapshot();
  if (snapshot?.loggedIn && snapshot.state === 'connected') throw conflict('session is already logged in: no QR code to scan');
  if (!snapshot || snapshot.state !== 'qr' || !snapshot.qr) {
    throw conflict(`no QR code: the session is ${snapshot?.state ?? 'disconnected'} (POST /session/connect starts linking)`);
  }
  return { QRCode: await QRCode.toDataURL(snapshot.qr.code, { margin: 1, width: 320 }), Code: snapshot.qr.code, ExpiresAt: snapshot.qr.expiresAt };
}

/** Links by pairing code: the code to type on the phone (WhatsApp → Linked devices → Link with phone number). */
export async function pairSession(sessionId: string, phone: string | undefined): Promise<{ LinkingCode: string; Phone: string }> {
  const digits = (phone ?? '').replace(/[^\d]/g, '');
  if (!phone) throw badRequest('Phone is required to link by pairing code');
  if (digits.length < 7 || digits.length > 15) throw badRequest('Phone: must be a phone number in international format, 7 to 15 digits');
  const current = getRuntime().sessions.get(sessionId);
  if (current?.snapshot().loggedIn && current.state === 'connected') throw conflict('session is already logged in');
  const runner = await startRunner(sessionId, { pairPhone: digits });
  await runner.waitSettled(25_000);
  const snapshot = runner.snapshot();
  if (!snapshot.pairingCode) throw new ApiError(502, `WhatsApp gave no pairing code: ${snapshot.lastError ?? snapshot.state}`);
  return { LinkingCode: snapshot.pairingCode, Phone: digits };
}

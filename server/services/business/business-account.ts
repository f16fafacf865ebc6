import { jidNormalizedUser, type WABusinessProfile, type WASocket } from 'baileys';
import { type ApiError, conflict, forbidden, whatsAppErrorCode } from '../../http/errors';
import { connectedSession } from '../messaging/outgoing';
import type { SessionRunner } from '../../whatsapp/session-runner';

/** The linked account as a WhatsApp Business account: the gate of every business route. */

export const NOT_BUSINESS = 'this account is not a WhatsApp Business account (WhatsApp has no business profile for it)';

export interface BusinessAccount {
  sock: WASocket;
  runner: SessionRunner;
  /** The account's own phone-number JID. */
  jid: string;
  /** Its business profile, as WhatsApp answered it. */
  profile: WABusinessProfile;
}

/**
 * The session's account, refused with 403 unless WhatsApp holds a business profile for it (a
 * personal account has none). Asked of WhatsApp each time: an account can become a business or
 * stop being one on its phone.
 */
export async function businessAccount(sessionId: string): Promise<BusinessAccount> {
  const { sock, runner } = connectedSession(sessionId);
  const me = sock.user?.id;
  if (!me) throw conflict('this session has no WhatsApp account yet');
  const jid = jidNormalizedUser(me);
  const profile = await sock.getBusinessProfile(jid);
  if (!profile) throw forbidden(NOT_BUSINESS);
  return { sock, runner, jid, profile };
}

/**
 * Runs a WhatsApp request and turns the iq error codes listed in `refusals` into the caller's
 * error; other failures pass on (the dispatcher maps them to 502/503/504). A 403 from WhatsApp on
 * a business request means the account is not (or no longer) a business account.
 */
export async function askWhatsApp<T>(work: () => Promise<T>, refusals: Record<number, () => ApiError> = {}): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = whatsAppErrorCode(error);
    const refusal = code === undefined ? undefined : (refusals[code] ?? (code === 403 ? () => forbidden(NOT_BUSINESS) : undefined));
    if (refusal) throw refusal();
    throw error;
  }
}

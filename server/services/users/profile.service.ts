import { generateProfilePicture, getBinaryNodeChild, jidNormalizedUser, S_WHATSAPP_NET } from 'baileys';
import { badRequest, conflict } from '../../http/errors';
import { connectedSession } from '../messaging/outgoing';
import { prepareImage } from '../messaging/media/prepare-media';
import { APP_STATE_KEY_WAIT_MS, appStateKey } from '../chat.service';

/** This account's own profile: picture, push name and online presence. */

export interface ProfilePictureAnswer {
  Details: string;
  Jid: string;
  /** Id WhatsApp gave the new picture. */
  PictureId: string | null;
}

/** Sets the account's profile picture (cropped square and scaled to 640×640 JPEG, as WhatsApp shows it). */
export async function setProfilePicture(sessionId: string, image: string): Promise<ProfilePictureAnswer> {
  const source = await prepareImage('Image', image);
  const { sock } = connectedSession(sessionId);
  const me = sock.user?.id;
  if (!me) throw conflict('this session has no WhatsApp account yet');
  let img: Buffer;
  try {
    ({ img } = await generateProfilePicture(source.data));
  } catch (error) {
    throw badRequest(`Image: could not be read as a picture (${error instanceof Error ? error.message : String(error)})`);
  }
  const result = await sock.query({ tag: 'iq', attrs: { to: S_WHATSAPP_NET, type: 'set', xmlns: 'w:profile:picture' }, content: [{ tag: 'picture', attrs: { type: 'image' }, content: img }] });
  return { Details: 'Profile picture set', Jid: jidNormalizedUser(me), PictureId: getBinaryNodeChild(result, 'picture')?.attrs.id ?? null };
}

/** Longest push name WhatsApp accepts. */
export const PUSH_NAME_MAX = 25;

/** Sets the push name (an app-state setting): contacts see it on this account's next messages. */
export async function setPushName(sessionId: string, name: string): Promise<{ Details: string; Name: string }> {
  const trimmed = name.trim();
  if (!trimmed) throw badRequest('Name: must not be empty');
  if ([...trimmed].length > PUSH_NAME_MAX) throw badRequest(`Name: must be at most ${PUSH_NAME_MAX} characters`);
  const { sock } = connectedSession(sessionId);
  if (!(await appStateKey(sock, APP_STATE_KEY_WAIT_MS))) throw conflict('the phone has not shared its app-state key with this session yet; try again in a moment');
  await sock.updateProfileName(trimmed);
  return { Details: 'Profile name updated', Name: trimmed };
}

export type OwnPresence = 'available' | 'unavailable';

/** Shows the account online (available) or offline (unavailable) to contacts subscribed to its presence. */
export async function setOwnPresence(sessionId: string, presence: OwnPresence): Promise<{ Details: string; Presence: OwnPresence }> {
  const { sock } = connectedSession(sessionId);
  // WhatsApp takes presence only with the account's push name; Baileys skips it without one.
  if (!sock.authState.creds.me?.name) throw conflict('this account has no push name yet: set one with POST /user/name first');
  await sock.sendPresenceUpdate(presence);
  return { Details: presence === 'available' ? 'Presence set to available' : 'Presence set to unavailable', Presence: presence };
}

import { isJidNewsletter, type ChatModification } from 'baileys';
import { badRequest, notFound } from '../../http/errors';
import { labelRepository, type StoredLabel } from '../../repositories/label.repository';
import { modify } from '../chat.service';
import { recipient } from '../messaging/outgoing';
import { businessAccount } from '../business/business-account';
import { applyLabelUpdate } from './label-store';
import { lidResolverOf } from '../../whatsapp/lid-memo';
import { userRef } from '../../whatsapp/events/jid';

/**
 * WhatsApp Business labels: app-state changes (`chatModify`, synced to the phone and the other
 * linked devices) — label_edit creates, renames, recolours or deletes a label; label_jid and
 * label_message put one on or take it off a chat or a message. Once WhatsApp took the change it is
 * stored (the LabelUpdate that follows stores it again, idempotently). Labels are a WhatsApp
 * Business feature: a personal account is refused with 403 before anything is checked or synced,
 * from WhatsApp's own answer (it holds no business profile for the account).
 */

/** WhatsApp's label palette has 20 colours. */
export const LABEL_COLORS = 20;

export interface LabelAnswer {
  Details: string;
  LabelId: string;
  Jid: string;
  MessageId: string | null;
}

export interface LabelEditAnswer {
  Details: string;
  LabelId: string;
  Name: string | null;
  Color: number | null;
  Deleted: boolean;
}

function chatOf(raw: string): string {
  const jid = recipient(raw, 'Jid');
  if (isJidNewsletter(jid) || jid === 'status@broadcast') throw badRequest('Jid: must be a chat (a user, LID or group), not a channel or status');
  return jid;
}

async function existingLabel(sessionId: string, labelId: string): Promise<StoredLabel> {
  const label = await labelRepository.get(sessionId, labelId);
  if (!label || label.deleted) throw notFound(`LabelId: this account has no label ${labelId} (create it with POST /label/edit)`);
  return label;
}

async function associate(sessionId: string, rawJid: string, labelId: string, messageId: string | null, labeled: boolean): Promise<LabelAnswer> {
  const jid = chatOf(rawJid);
  const { sock } = await businessAccount(sessionId);
  await existingLabel(sessionId, labelId);
  const mod: ChatModification = messageId
    ? labeled
      ? { addMessageLabel: { messageId, labelId } }
      : { removeMessageLabel: { messageId, labelId } }
    : labeled
      ? { addChatLabel: { labelId } }
      : { removeChatLabel: { labelId } };
  const what = messageId ? 'Message' : 'Chat';
  await modify(sessionId, jid, () => mod, '');
  await applyLabelUpdate(sessionId, {
    kind: messageId ? 'message' : 'chat',
    labelId,
    labeled,
    // stored under the chat's phone-number JID when known, as the sync's own LabelUpdate names it
    chat: await userRef(jid, null, lidResolverOf(sock)),
    messageId,
    name: null,
    color: null,
    predefinedId: null,
    deleted: null,
  });
  return { Details: `${what} ${labeled ? 'labelled' : 'unlabelled'}`, LabelId: labelId, Jid: jid, MessageId: messageId };
}

export const labelChat = (sessionId: string, jid: string, labelId: string) => associate(sessionId, jid, labelId, null, true);
export const unlabelChat = (sessionId: string, jid: string, labelId: string) => associate(sessionId, jid, labelId, null, false);
export const labelMessage = (sessionId: string, jid: string, labelId: string, messageId: string) => associate(sessionId, jid, labelId, messageId, true);
export const unlabelMessage = (sessionId: string, jid: string, labelId: string, messageId: string) => associate(sessionId, jid, labelId, messageId, false);

/**
 * Creates a label (a new `LabelId` needs a `Name`), renames or recolours it (unset fields keep their
 * value), or deletes it (`Action: true`).
 */
export async function editLabel(sessionId: string, input: { LabelId: string; Name?: string; Color?: number; Action?: boolean }): Promise<LabelEditAnswer> {
  const { sock } = await businessAccount(sessionId);
  const stored = await labelRepository.get(sessionId, input.LabelId);
  const known = stored && !stored.deleted ? stored : null;
  const deleted = input.Action === true;
  if (deleted && !known) throw notFound(`LabelId: this account has no label ${input.LabelId}`);
  const name = input.Name ?? known?.name ?? undefined;
  if (!name) throw badRequest('Name is required to create a label');
  const color = input.Color ?? known?.color ?? 0;
  const own = sock.user?.id ?? '';
  await modify(sessionId, own, () => ({ addLabel: { id: input.LabelId, name, color, deleted, predefinedId: known?.predefinedId ?? undefined } }), '');
  await applyLabelUpdate(sessionId, { kind: 'edit', labelId: input.LabelId, name, color, predefinedId: known?.predefinedId != null ? String(known.predefinedId) : null, deleted, labeled: null, chat: null, messageId: null });
  return { Details: deleted ? 'Label deleted' : known ? 'Label edited' : 'Label created', LabelId: input.LabelId, Name: name, Color: color, Deleted: deleted };
}

/**
 * WaGo's domain events: one typed stream per session. The session engine produces them;
 * consumers (webhook outbox, socket.io, message store) subscribe. Every event that names a
 * WhatsApp user carries both its phone-number JID (`…@s.whatsapp.net`) and its LID
 * (`…@lid`) when known (null when not).
 */
export const EVENT_TYPES = [
  'Connected',
  'Disconnected',
  'StateChanged',
  'QR',
  'PairingCode',
  'PairSuccess',
  'LoggedOut',
  'Message',
  'MessageUpdate',
  'ReadReceipt',
  'Presence',
  'ChatPresence',
  'HistorySync',
  'Call',
  'Newsletter',
  'GroupUpdate',
  'GroupParticipants',
  'ContactUpdate',
  'BlocklistChange',
  'LabelUpdate',
  'ChatRead',
  'Test',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** A WhatsApp user as events show it. */
export interface UserRef {
  jid: string | null;
  lid: string | null;
}

/** A group linked to or unlinked from another: a community's subgroup, or a subgroup's community. */
export interface GroupLinkChange {
  /** `sub_group`: `group` is a subgroup of this community; `parent_group`: `group` is this group's community. */
  type: 'sub_group' | 'parent_group';
  group: string;
  subject: string | null;
}

/** A change WhatsApp reported about a group; only the keys that changed are present. */
export interface GroupUpdateData {
  group: string;
  /** Who made the change, when WhatsApp says. */
  author: UserRef | null;
  /** The group was created, or this account was put in a new one (`subject` is its name). */
  created?: boolean;
  subject?: string;
  /** The new description; null when it was removed. */
  description?: string | null;
  /** Only admins may send messages. */
  announce?: boolean;
  /** Only admins may edit the group's info. */
  locked?: boolean;
  /** Disappearing-messages timer in seconds (0: off). */
  ephemeral?: number;
  inviteCode?: string;
  /** The group picture changed (`id`) or was removed (`id: null`). */
  picture?: { id: string | null };
  link?: GroupLinkChange;
  unlink?: GroupLinkChange;
}

/** Members added, removed (or left), promoted to admin, demoted, or who changed number. */
export interface GroupParticipantsData {
  group: string;
  action: 'add' | 'remove' | 'promote' | 'demote' | 'modify';
  participants: UserRef[];
  author: UserRef | null;
}

export type SessionState = 'disconnected' | 'connecting' | 'qr' | 'pairing' | 'connected' | 'logged_out' | 'failed';

export interface EventPayloads {
  Connected: { jid: string | null; lid: string | null; pushName: string | null };
  Disconnected: { reason: string; statusCode: number | null; willReconnect: boolean };
  StateChanged: { state: SessionState; previous: SessionState; reason: string | null };
  QR: { code: string; expiresAt: string };
  PairingCode: { code: string; phone: string };
  PairSuccess: { jid: string | null; lid: string | null; platform: string | null };
  LoggedOut: { reason: string; by: 'gateway' | 'phone' | 'whatsapp' };
  Message: Record<string, unknown>;
  MessageUpdate: Record<string, unknown>;
  ReadReceipt: { chat: UserRef; sender: UserRef; messageIds: string[]; type: 'delivered' | 'read' | 'played'; timestamp: number };
  Presence: { from: UserRef; presence: string; lastSeen: number | null };
  ChatPresence: { chat: UserRef; from: UserRef; state: string; media: string | null };
  HistorySync: { type: string; chats: number; messages: number; contacts: number; progress: number | null };
  Call: {
    /** WhatsApp's call id. */
    id: string;
    /** The signalling step behind this event: offer, preaccept, accept, reject, terminate, timeout (from WhatsApp or sent by this session). */
    status: string;
    /** The call's state after it: calling, ringing, accepted, connected, rejected, missed, ended. */
    state: string;
    previous: string | null;
    /** Who caused it: peer, gateway (this session, through the API), whatsapp, other-device. */
    by: string;
    direction: 'incoming' | 'outgoing';
    /** The caller. */
    from: UserRef;
    /** The other party. */
    peer: UserRef;
    isVideo: boolean;
    isGroup: boolean;
    groupJid: string | null;
    offline: boolean;
    /** ISO-8601 time of this state. */
    date: string;
    endReason: string | null;
  };
  Newsletter: Record<string, unknown>;
  GroupUpdate: GroupUpdateData;
  GroupParticipants: GroupParticipantsData;
  ContactUpdate: ContactUpdateData;
  BlocklistChange: { action: 'block' | 'unblock'; users: UserRef[] };
  LabelUpdate: LabelUpdateData;
  /**
   * The account read a chat — on its phone or another linked device (WhatsApp syncs it as app
   * state `markChatAsRead`), or through this session's `/chat/markread` — `read` true, or false
   * when it was marked unread. The inbox's read mark follows it.
   */
  ChatRead: { chat: UserRef; read: boolean };
  Test: { message: string };
}

/**
 * What WhatsApp told about a contact: a saved name (the phone's address book), a push name (the
 * name the user set, seen on their messages), a verified business name, or a new picture. Fields
 * not part of the update are null.
 */
export interface ContactUpdateData {
  user: UserRef;
  /** Name saved in the phone's address book. */
  fullName: string | null;
  /** The user's own (push) name. */
  pushName: string | null;
  /** Verified business name. */
  businessName: string | null;
  /** true when the update comes from the phone's address book (a saved contact). */
  savedInAddressBook: boolean | null;
  /** 'changed' or 'removed' when the user's profile picture changed. */
  picture: 'changed' | 'removed' | null;
  /** contacts: pushed by the phone (address book, history sync); message: a sender's push name; picture: a picture notification. */
  source: 'contacts' | 'history' | 'message' | 'picture';
}

/** The JSON shape every consumer sees (webhook body, socket.io message, dashboard stream). */
export interface WagoEvent<T extends EventType = EventType> {
  /** UUID, stable across redeliveries: use it for idempotency. */
  id: string;
  type: T;
  sessionId: string;
  /** ISO-8601 time the event happened in WaGo. */
  timestamp: string;
  data: EventPayloads[T];
}

/**
 * A subscription list ("All", in any case, or event types) made canonical: `['All']` when "All" is
 * in it, else its distinct types in order; or the index of the first name that is neither, for
 * the caller's error (see `unknownEventTypeMessage`). Webhook settings, `/session/connect`'s
 * `Subscribe` and socket.io clients all read their lists through it.
 */
export function canonicalSubscription(names: readonly string[]): { names: string[] } | { unknownAt: number } {
  const isAll = (name: string) => name.toLowerCase() === 'all';
  const unknownAt = names.findIndex((name) => !isAll(name) && !isEventType(name));
  if (unknownAt >= 0) return { unknownAt };
  return { names: names.some(isAll) ? ['All'] : [...new Set(names)] };
}

/** The one wording of a refused subscription entry, naming the field and the entry's index. */
export function unknownEventTypeMessage(field: string, names: readonly string[], index: number): string {
  return `${field}[${index}]: unknown event type ${JSON.stringify(names[index])}; use "All" or one of ${EVENT_TYPES.join(', ')}`;
}

/** Whether a session's subscription list ("All", or event types) includes a type. */
export function isSubscribed(subscription: readonly string[], type: EventType): boolean {
  if (type === 'Test') return true;
  if (subscription.length === 0) return true;
  return subscription.some((s) => s === 'All' || s === type);
}

/**
 * A WhatsApp Business label changed in the account's app state (by this session, the phone or
 * another linked device): a label created, edited or deleted (`edit`), or put on or taken off a
 * chat (`chat`) or one message (`message`). Fields that do not apply are null.
 */
export interface LabelUpdateData {
  kind: 'edit' | 'chat' | 'message';
  labelId: string;
  /** edit: the label's name, colour index, WhatsApp's predefined id, and whether it was deleted. */
  name: string | null;
  color: number | null;
  predefinedId: string | null;
  deleted: boolean | null;
  /** chat/message: true when the label was put on, false when taken off. */
  labeled: boolean | null;
  /** chat/message: the chat (a user as JID and LID; a group's JID). */
  chat: UserRef | null;
  /** message: the labelled message's id. */
  messageId: string | null;
}

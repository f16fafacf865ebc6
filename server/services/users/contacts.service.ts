import { badRequest } from '../../http/errors';
import { contactRepository, type ContactPatch } from '../../repositories/contact.repository';
import { getRuntime } from '../../runtime/registry';
import { modify } from '../chat.service';
import { connectedSession } from '../messaging/outgoing';
import { lidResolverOf } from '../../whatsapp/lid-memo';
import { userJid } from './lookup.service';

/** The address book: what WaGo learned (stored), and saving/removing contacts on the phone (app state). */

export interface ContactEntry {
  Jid: string;
  Lid: string | null;
  FullName: string | null;
  FirstName: string | null;
  PushName: string | null;
  BusinessName: string | null;
  InAddressBook: boolean;
  UpdatedAt: string;
}

export async function listContacts(sessionId: string): Promise<{ Contacts: ContactEntry[] }> {
  const rows = await contactRepository.list(sessionId);
  return {
    Contacts: rows.map((c) => ({
      Jid: c.jid,
      Lid: c.lid,
      FullName: c.fullName,
      FirstName: c.firstName,
      PushName: c.pushName,
      BusinessName: c.businessName,
      InAddressBook: c.inAddressBook,
      UpdatedAt: c.updatedAt.toISOString(),
    })),
  };
}

export interface ContactChangeAnswer {
  Details: string;
  Jid: string;
  Lid: string | null;
}

/** Writes an address-book change behind the learned ones already queued, and waits until it is stored. */
async function storeBookChange(patch: ContactPatch): Promise<void> {
  const store = getRuntime().contacts;
  if (!store) return contactRepository.upsertMany([patch]);
  store.record(patch);
  await store.flushed();
}

async function lidOf(sessionId: string, jid: string): Promise<string | null> {
  if (jid.endsWith('@lid')) return jid;
  return lidResolverOf(connectedSession(sessionId).sock).getLIDForPN(jid);
}

export interface AddContactInput {
  Phone: string;
  FirstName?: string;
  FullName?: string;
  SaveOnBook?: boolean;
}

/** Saves (or edits) a contact in the phone's address book: an app-state contact action the phone applies. */
export async function addContact(sessionId: string, input: AddContactInput): Promise<ContactChangeAnswer> {
  const jid = userJid(input.Phone, 'Phone');
  const fullName = input.FullName?.trim() || null;
  const firstName = input.FirstName?.trim() || null;
  if (!fullName && !firstName) throw badRequest('FullName is required (or FirstName)');
  const lid = await lidOf(sessionId, jid);
  const saveOnPrimaryAddressbook = input.SaveOnBook ?? true;
  await modify(sessionId, jid, () => ({ contact: { fullName: fullName ?? firstName, firstName, lidJid: jid.endsWith('@lid') ? null : lid, saveOnPrimaryAddressbook } }), 'Contact saved');
  await storeBookChange({ sessionId, jid, lid, book: { saved: true, fullName: fullName ?? firstName, firstName } });
  return { Details: 'Contact saved', Jid: jid, Lid: lid };
}

/** Removes a contact from the phone's address book (the chat and messages stay). */
export async function removeContact(sessionId: string, phone: string): Promise<ContactChangeAnswer> {
  const jid = userJid(phone, 'Phone');
  const lid = await lidOf(sessionId, jid);
  await modify(sessionId, jid, () => ({ contact: null }), 'Contact removed');
  await storeBookChange({ sessionId, jid, lid, book: { saved: false, fullName: null, firstName: null } });
  return { Details: 'Contact removed', Jid: jid, Lid: lid };
}

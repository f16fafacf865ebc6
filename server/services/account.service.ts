import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { generatePassword, hashPassword, verifyPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords';
import { accountRepository, type AccountRow } from '../repositories/account.repository';
import { badRequest, conflict, forbidden, notFound } from '../http/errors';

/** An account as the dashboard shows it (never the password hash). */
export interface AccountView {
  id: string;
  email: string;
  name: string | null;
  role: 'admin' | 'tenant';
  createdAt: string;
  sessions?: number;
}

function toView(row: AccountRow, sessions?: number): AccountView {
  return { id: row.id, email: row.email, name: row.name, role: row.role, createdAt: row.createdAt.toISOString(), ...(sessions === undefined ? {} : { sessions }) };
}

export const emailSchema = z.email('must be an e-mail address').max(254).transform((e) => e.trim().toLowerCase());
export const passwordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

function requireAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw forbidden('only an admin may manage accounts');
}

/**
 * Creates the first admin account when there is none: with the configured password, or a
 * generated one returned here once (the caller prints it). Null when an admin already exists.
 */
export async function bootstrapAdmin(email: string, password: string | undefined): Promise<{ email: string; generatedPassword?: string } | null> {
  if ((await accountRepository.countAdmins()) > 0) return null; // the usual start: no hashing needed
  const chosen = password ?? generatePassword();
  const created = await accountRepository.createFirstAdmin({ email: email.trim().toLowerCase(), passwordHash: await hashPassword(chosen) });
  if (!created) return null;
  return { email: created.email, ...(password ? {} : { generatedPassword: chosen }) };
}

/** Checks an e-mail and password; the signed-in actor, or null (same time either way). */
export async function authenticateAccount(email: string, password: string): Promise<Actor | null> {
  const parsed = emailSchema.safeParse(email);
  const row = parsed.success ? await accountRepository.findByEmail(parsed.data) : null;
  const ok = await verifyPassword(row?.passwordHash, password.slice(0, PASSWORD_MAX_LENGTH));
  if (!ok || !row) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

/**
 * The current state of a signed-in account: null when it was deleted since, or when it changed
 * (a new password) after the sign-in was issued (`issuedAt`, seconds), so that a password change
 * or reset signs the account out everywhere.
 */
export async function findActor(id: string, issuedAt?: number): Promise<Actor | null> {
  const row = await accountRepository.findById(id);
  if (!row) return null;
  // iat has whole seconds: a sign-in within the second before the change still counts.
  if (issuedAt !== undefined && (issuedAt + 1) * 1000 <= row.updatedAt.getTime()) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

export async function listAccounts(actor: Actor): Promise<AccountView[]> {
  requireAdmin(actor);
  return (await accountRepository.listWithSessionCounts()).map((row) => toView(row, row._count.sessions));
}

export interface CreateAccountInput {
  email: string;
  name?: string;
  role: 'admin' | 'tenant';
  /** When absent a password is generated and returned once. */
  password?: string;
}

/** Admin creates an account; the password (given or generated) is returned only here. */
export async function createAccount(actor: Actor, input: CreateAccountInput): Promise<{ account: AccountView; password: string }> {
  requireAdmin(actor);
  const email = emailSchema.parse(input.email);
  const password = input.password ?? generatePassword();
  if (await accountRepository.findByEmail(email)) throw conflict(`email: an account with ${email} already exists`);
  try {
    const row = await accountRepository.create({ email, name: input.name?.trim() || null, role: input.role, passwordHash: await hashPassword(password) });
    return { account: toView(row, 0), password };
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') throw conflict(`email: an account with ${email} already exists`);
    throw error;
  }
}

/**
 * Admin deletes an account that owns no sessions; never its own, never the last admin. Refusals
 * name the field (`id`) and say why; nothing is changed then.
 */
export async function deleteAccount(actor: Actor, id: string): Promise<void> {
  requireAdmin(actor);
  if (id === actor.id) throw badRequest('id: you cannot delete your own account');
  const outcome = await accountRepository.deleteUnlessInUse(id);
  if (outcome.deleted) return;
  if (outcome.reason === 'missing') throw notFound('id: no such account');
  if (outcome.reason === 'last-admin') throw conflict('id: the last admin account cannot be deleted');
  const owned = outcome.sessions;
  throw conflict(`id: the account still owns ${owned} session${owned === 1 ? '' : 's'}; delete ${owned === 1 ? 'it' : 'them'} first`);
}

/** Admin sets a new password for an account; a generated one is returned once when none is given. */
export async function resetPassword(actor: Actor, id: string, password?: string): Promise<{ password: string }> {
  requireAdmin(actor);
  if (!(await accountRepository.findById(id))) throw notFound('id: no such account');
  const chosen = password ?? generatePassword();
  await accountRepository.setPasswordHash(id, await hashPassword(chosen));
  return { password: chosen };
}

/** Anyone changes their own password, proving the current one. */
export async function changeOwnPassword(actor: Actor, current: string, next: string): Promise<void> {
  const row = await accountRepository.findById(actor.id);
  if (!row || !(await verifyPassword(row.passwordHash, current))) throw badRequest('current: the current password is wrong');
  await accountRepository.setPasswordHash(actor.id, await hashPassword(passwordSchema.parse(next)));
}

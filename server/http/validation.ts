import type { z } from 'zod';
import { badRequest, type ApiError } from './errors';

function describePath(path: PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p))).join('.').replace(/\.\[/g, '[');
}

/** Turns a zod failure into one clear 400 message that names the field. */
export function validationError(error: z.ZodError, root: string): ApiError {
  const issue = error.issues[0];
  const field = issue.path.length ? describePath(issue.path) : root;
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_union') && issue.input === undefined) {
    return badRequest(`${field} is required`);
  }
  const message = issue.message.replace(/^Invalid input: /, '');
  const extra = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return badRequest(`${field}: ${message}${extra}`);
}

/**
 * The first string in validated input that holds a NUL character, as a 400 naming its field:
 * PostgreSQL cannot store or compare such text, and no WhatsApp id, number or name contains one.
 */
export function nulCharacterError(value: unknown, path: PropertyKey[] = []): ApiError | null {
  if (typeof value === 'string') return value.includes('\u0000') ? badRequest(`${describePath(path) || 'body'}: must not contain NUL characters`) : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulCharacterError(value[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, inner] of Object.entries(value)) {
      const found = nulCharacterError(inner, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}

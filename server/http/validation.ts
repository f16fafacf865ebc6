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

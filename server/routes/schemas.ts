import { z } from 'zod';

/** Shared pieces of route declarations. */
export const contextInfo = z
  .object({
    StanzaId: z.string().min(1).max(128).optional().describe('Id of the message this one replies to'),
    Participant: z.string().max(128).optional().describe('Sender of the quoted message (groups)'),
    MentionedJID: z.array(z.string().max(128)).max(1024).optional().describe('Users mentioned (JIDs or numbers)'),
    IsForwarded: z.boolean().optional(),
  })
  .describe('Reply and mention details')
  .meta({ id: 'ContextInfo' });

export const phone = (description = 'Recipient: phone number in international format, or a JID (user, group, LID)') =>
  z.string().min(1, 'must not be empty').max(128).describe(description);

/** A media field: base64 data URL, plain base64, or an http(s) URL WaGo downloads (checked when read). */
export const mediaSource = (what: string) =>
  z
    .string()
    .min(1, 'must not be empty')
    .describe(
      `${what}: a base64 data URL (\`data:<mime>;base64,…\`), plain base64, or an http(s) URL WaGo downloads ` +
        '(public addresses only unless WAGO_MEDIA_ALLOW_PRIVATE_URLS=1; at most WAGO_MEDIA_MAX_BYTES and WhatsApp\'s limit for the kind)',
    );

export const messageId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._-]+$/, 'may contain only letters, digits, dot, dash and underscore')
  .describe('Message id to use (generated when absent)');

export const sendAnswer = z
  .object({
    Id: z.string().describe('WhatsApp message id'),
    Timestamp: z.number().describe('Unix seconds'),
    Jid: z.string().describe('Recipient JID'),
    Lid: z.string().nullable().describe('Recipient LID when known'),
    Status: z.string(),
  })
  .meta({ id: 'SendAnswer' });

/**
 * Fields the contract lists as optional but the route cannot do without: they stay optional in the
 * documented schema (and in `/openapi.json`), and a body without one is refused with
 * "<field> is required", like a required field. The handler's input has them as present.
 */
export function needs<T extends z.ZodObject, K extends keyof z.output<T> & string>(schema: T, ...fields: K[]) {
  return schema
    .superRefine((value, ctx) => {
      const record = value as Record<string, unknown>;
      for (const field of fields) {
        if (record[field] === undefined) ctx.addIssue({ code: 'invalid_type', expected: 'nonoptional', input: undefined, path: [field], message: `${field} is required` });
      }
    })
    .transform((value) => value as z.output<T> & { [P in K]-?: Exclude<z.output<T>[P], undefined> });
}

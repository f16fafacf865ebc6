import { z } from 'zod';

/** Shared zod pieces of the interactive and structured send routes. */

const isPlainObject = (value: unknown): boolean => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A list field that also takes a single object (the contract documents `Buttons`/`List` as
 * `object`): `[a, b]` or `a`. Validates as an array so errors name the element
 * (`Buttons[0].Id: is required`); documented as `array | object` in OpenAPI.
 */
export function listOrOne<T extends z.ZodType>(item: T, min: number, max: number, noun: [singular: string, plural: string]) {
  const docs = z.toJSONSchema(z.union([z.array(item), item]), { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete docs.$schema;
  return z
    .preprocess((value) => (isPlainObject(value) ? [value] : value), z.array(item).min(min, `needs at least ${min} ${min === 1 ? noun[0] : noun[1]}`).max(max, `at most ${max} ${noun[1]}`))
    .meta({ ...docs, type: undefined, items: undefined, minItems: undefined, maxItems: undefined });
}

/** `is required` on a field that is optional for the schema but needed in this case. */
export function requireField(ctx: z.RefinementCtx, path: PropertyKey[]): void {
  ctx.addIssue({ code: 'custom', path, message: 'is required' });
}

export const httpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');

/** Base64 bytes, either a `data:<mime>;base64,…` URL or bare base64, at most `maxMb` MB. */
export const base64Bytes = (description: string, maxMb = 5) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(Math.ceil((maxMb * 1024 * 1024 * 4) / 3) + 100, `must be at most ${maxMb} MB`)
    .regex(/^(data:[\w.+-]+\/[\w.+-]+(;[\w=.+-]+)*;base64,)?[A-Za-z0-9+/\s]+={0,2}$/, 'must be base64 data (data:<mime>;base64,… or bare base64)')
    .describe(description);

export const BUTTON_TYPES = ['quick_reply', 'url', 'copy', 'call'] as const;
export type ButtonType = (typeof BUTTON_TYPES)[number];

/** One button: a quick reply (Id), a link (Url), a copy-code (Code) or a call (Phone) button. */
export function buttonSchema(types: readonly ButtonType[] = BUTTON_TYPES) {
  return z
    .object({
      Type: z
        .enum(types as [ButtonType, ...ButtonType[]])
        .default('quick_reply')
        .describe(`Button kind: ${types.join(', ')} (default quick_reply)`),
      Id: z.string().min(1, 'must not be empty').max(256).optional().describe('Id sent back when the button is tapped (required for quick_reply)'),
      Text: z.string().min(1, 'must not be empty').max(60).describe('Button label'),
      Url: httpUrl.optional().describe('Link opened (url buttons)'),
      Code: z.string().min(1, 'must not be empty').max(256).optional().describe('Text copied (copy buttons)'),
      Phone: z
        .string()
        .regex(/^\+?[0-9]{7,15}$/, 'must be a phone number in international format')
        .optional()
        .describe('Number called (call buttons)'),
    })
    .superRefine((button, ctx) => {
      if (button.Type === 'quick_reply' && !button.Id) requireField(ctx, ['Id']);
      if (button.Type === 'url' && !button.Url) requireField(ctx, ['Url']);
      if (button.Type === 'copy' && !button.Code) requireField(ctx, ['Code']);
      if (button.Type === 'call' && !button.Phone) requireField(ctx, ['Phone']);
    });
}
export type ButtonInput = z.output<ReturnType<typeof buttonSchema>>;

/** Quick-reply ids must be unique within one message. */
export function uniqueIds(items: Array<{ Id?: string }>, ctx: z.RefinementCtx, path: string, key = 'Id'): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!item.Id) return;
    if (seen.has(item.Id)) ctx.addIssue({ code: 'custom', path: [path, i, key], message: `duplicate id ${JSON.stringify(item.Id)}` });
    seen.add(item.Id);
  });
}

export const rowSchema = z.object({
  Id: z.string().min(1, 'must not be empty').max(200).describe('Id sent back when the row is picked'),
  Title: z.string().min(1, 'must not be empty').max(24).describe('Row title'),
  Description: z.string().max(72).optional().describe('Row description'),
});

export const sectionSchema = z.object({
  Title: z.string().max(24).optional().describe('Section title'),
  Rows: z.array(rowSchema).min(1, 'needs at least 1 row').max(10, 'at most 10 rows').describe('Rows of the section'),
});
export type SectionInput = z.output<typeof sectionSchema>;

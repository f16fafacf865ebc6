import { z } from 'zod';
import { mediaSource, messageId, phone } from '../../../routes/schemas';
import { buttonSchema, listOrOne, requireField, sectionSchema, uniqueIds } from './fields';
import { inferPixType, PIX_TYPES, pixKeyProblem } from './pix';

/** Input schemas of the interactive send routes (field names exactly as documented). */

const text = (max: number, description: string) => z.string().min(1, 'must not be empty').max(max).describe(description);
const optionalText = (max: number, description: string) => z.string().max(max).optional().describe(description);

export const buttonsInput = z
  .object({
    Phone: phone(),
    Title: text(60, 'Header title'),
    Content: text(4096, 'Body text'),
    Footer: text(60, 'Footer text'),
    Buttons: listOrOne(buttonSchema(), 1, 10, ['button', 'buttons']).describe('Buttons (an array, or one button object)'),
    Id: messageId.optional(),
  })
  .superRefine((input, ctx) => uniqueIds(input.Buttons, ctx, 'Buttons'));

export const templateInput = z
  .object({
    Phone: phone(),
    Title: optionalText(60, 'Title text'),
    Content: text(4096, 'Content text'),
    Footer: optionalText(60, 'Footer text'),
    Buttons: listOrOne(buttonSchema(['quick_reply', 'url', 'call']), 1, 3, ['button', 'buttons'])
      .optional()
      .describe('Up to 3 buttons: quick_reply, url or call (an array, or one button object)'),
    Id: messageId.optional(),
  })
  .superRefine((input, ctx) => uniqueIds(input.Buttons ?? [], ctx, 'Buttons'));

export const listInput = z
  .object({
    Phone: phone(),
    ButtonText: text(20, 'Label of the button that opens the list'),
    Desc: text(4096, 'Body text'),
    TopText: text(60, 'Title above the body'),
    List: listOrOne(sectionSchema, 1, 10, ['section', 'sections']).describe('Sections `{Title, Rows: [{Id, Title, Description}]}` (an array, or one section)'),
    Footer: optionalText(60, 'Footer text (WaGo extension)'),
    Id: messageId.optional(),
  })
  .superRefine((input, ctx) => {
    const rows = input.List.flatMap((section, s) => section.Rows.map((row, r) => ({ row, s, r })));
    if (rows.length > 10) ctx.addIssue({ code: 'custom', path: ['List'], message: `at most 10 rows in all, got ${rows.length}` });
    const seen = new Set<string>();
    for (const { row, s, r } of rows) {
      if (seen.has(row.Id)) ctx.addIssue({ code: 'custom', path: ['List', s, 'Rows', r, 'Id'], message: `duplicate id ${JSON.stringify(row.Id)}` });
      seen.add(row.Id);
    }
  });

export const MEDIA_TYPES = ['image', 'video', 'document'] as const;

export const mediaButtonInput = z
  .object({
    Phone: phone(),
    Content: text(1024, 'Body text'),
    Footer: optionalText(60, 'Footer text'),
    Title: optionalText(60, 'Header title'),
    Filename: z.string().min(1).max(255).optional().describe('File name (documents)'),
    MessageId: messageId.optional(),
    Buttons: z.array(buttonSchema()).min(1, 'needs at least 1 button').max(10, 'at most 10 buttons').describe('Buttons'),
    Type: z.enum(MEDIA_TYPES).describe('Header media kind: image, video or document'),
    Media: mediaSource('Header media of the kind Type names'),
  })
  .superRefine((input, ctx) => uniqueIds(input.Buttons, ctx, 'Buttons'));

export const locationButtonInput = z
  .object({
    Phone: phone().optional(),
    Body: optionalText(4096, 'Body text (default: "Please share your location.")'),
    Id: messageId.optional(),
  })
  .superRefine((input, ctx) => {
    if (!input.Phone) requireField(ctx, ['Phone']);
  });

const pixFields = {
  PixKey: text(140, 'PIX key'),
  MerchantName: optionalText(100, 'Merchant name shown with the key'),
  PixType: z.enum(PIX_TYPES).optional().describe('Key type: CPF, CNPJ, EMAIL, PHONE or EVP (inferred from the key when absent)'),
};

function checkPix(input: { PixKey: string; PixType?: (typeof PIX_TYPES)[number] }, ctx: z.RefinementCtx): void {
  const type = input.PixType ?? inferPixType(input.PixKey);
  if (!type) ctx.addIssue({ code: 'custom', path: ['PixKey'], message: 'is not a CPF, CNPJ, e-mail, phone (+55…) or random (UUID) key; set PixType' });
  else {
    const problem = pixKeyProblem(input.PixKey, type);
    if (problem) ctx.addIssue({ code: 'custom', path: ['PixKey'], message: problem });
  }
}

export const pixButtonInput = z
  .object({
    Phone: phone(),
    Title: optionalText(60, 'Header title'),
    Body: text(4096, 'Body text'),
    Footer: optionalText(60, 'Footer text'),
    ...pixFields,
    Id: messageId.optional(),
  })
  .superRefine(checkPix);

const money = (description: string) => z.number().int('must be an integer').min(0, 'must not be negative').max(1e12).describe(description);

export const reviewPayInput = z
  .object({
    Phone: phone(),
    Title: optionalText(60, 'Header title'),
    Body: text(4096, 'Body text'),
    Caption: optionalText(60, 'Header subtitle'),
    Footer: optionalText(60, 'Footer text'),
    ...pixFields,
    Currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as BRL').optional().describe('Currency (default BRL)'),
    ReferenceID: z.string().min(1).max(35).regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, dash and underscore').optional().describe('Order reference (generated when absent)'),
    TotalValue: money('Total in minor units (e.g. 1990 with TotalOffset 100 is 19.90); default: the sum of Items').optional(),
    TotalOffset: z.number().int('must be an integer').refine((v) => [1, 10, 100, 1000].includes(v), 'must be 1, 10, 100 or 1000').optional().describe('Divisor of the values (default 100)'),
    Items: z
      .array(
        z.object({
          Name: text(100, 'Item name'),
          Quantity: z.number().int('must be an integer').min(1, 'must be at least 1').max(1_000_000).default(1).describe('Quantity (default 1)'),
          Value: money('Unit price in minor units'),
          RetailerId: z.string().min(1).max(100).optional().describe('Your item id'),
        }),
      )
      .max(100)
      .optional()
      .describe('Order items'),
    Id: messageId.optional(),
  })
  .superRefine((input, ctx) => {
    checkPix(input, ctx);
    if (input.TotalValue === undefined && !input.Items?.length) ctx.addIssue({ code: 'custom', path: ['TotalValue'], message: 'is required when there are no Items' });
  });

const cardFields = {
  Title: optionalText(60, 'Card title'),
  Body: text(1024, 'Card text'),
  Footer: optionalText(60, 'Card footer'),
  Buttons: listOrOne(buttonSchema(), 1, 3, ['button', 'buttons']).describe('Card buttons (every card the same number)'),
};

function carouselInput<C extends z.ZodObject>(card: C) {
  return z
    .object({
      Phone: phone().optional(),
      Body: optionalText(4096, 'Text above the cards'),
      Footer: optionalText(60, 'Footer text'),
      Cards: z.array(card).min(1, 'needs at least 1 card').max(10, 'at most 10 cards').optional().describe('Cards, swiped sideways'),
      Id: messageId.optional(),
    })
    .superRefine((input, ctx) => {
      if (!input.Phone) requireField(ctx, ['Phone']);
      if (!input.Cards) return requireField(ctx, ['Cards']);
      const cards = input.Cards as Array<{ Buttons: Array<{ Id?: string }> }>;
      const count = cards[0].Buttons.length;
      cards.forEach((c, i) => {
        if (c.Buttons.length !== count) ctx.addIssue({ code: 'custom', path: ['Cards', i, 'Buttons'], message: `every card needs the same number of buttons (${count})` });
      });
      const seen = new Set<string>();
      cards.forEach((c, i) =>
        c.Buttons.forEach((b, j) => {
          if (b.Id && seen.has(b.Id)) ctx.addIssue({ code: 'custom', path: ['Cards', i, 'Buttons', j, 'Id'], message: `duplicate id ${JSON.stringify(b.Id)}` });
          if (b.Id) seen.add(b.Id);
        }),
      );
    });
}

export const carouselTextInput = carouselInput(z.object(cardFields));

export const carouselMediaInput = carouselInput(
  z.object({
    ...cardFields,
    Media: mediaSource('Card image or video (all cards the same kind as the first)'),
  }),
);

export type ButtonsInput = z.output<typeof buttonsInput>;
export type TemplateInput = z.output<typeof templateInput>;
export type ListInput = z.output<typeof listInput>;
export type MediaButtonInput = z.output<typeof mediaButtonInput>;
export type LocationButtonInput = z.output<typeof locationButtonInput>;
export type PixButtonInput = z.output<typeof pixButtonInput>;
export type ReviewPayInput = z.output<typeof reviewPayInput>;
export type CarouselInput = z.output<typeof carouselTextInput>;
export type CarouselMediaInput = z.output<typeof carouselMediaInput>;

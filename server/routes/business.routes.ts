import { z } from 'zod';
import { defineRoute } from '../http/route';
import { mediaSource, needs, phone, sendAnswer } from './schemas';
import { businessCategories, businessProfile, updateBusinessProfile } from '../services/business/profile.service';
import { catalogProduct, createProduct, deleteProduct, editProduct, listCatalog, setProductHidden } from '../services/business/catalog.service';
import { orderDetails } from '../services/business/order.service';
import { sendBusinessCatalog } from '../services/business/send-catalog.service';
import { PRODUCT_IMAGES_MAX } from '../services/business/product-images';

const TAG = 'Business';
const NOT_BUSINESS = 'Every business route answers 403 when this account is not a WhatsApp Business account.';

const businessJid = z.string().min(1, 'must not be empty').max(128).describe('Business: phone number or user JID (this account when absent)');
const productId = z.string().min(1, 'must not be empty').max(64).regex(/^\d+$/, 'must be a WhatsApp product id (digits)').describe('WhatsApp\'s product id');
const price = z.string().regex(/^\d{1,12}(\.\d{1,3})?$/, 'must be a decimal amount such as 12.50').describe('Price in the currency\'s units, e.g. "12.50"');
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD').describe('ISO 4217 currency code; required with Price');
const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048).describe('The product\'s web page');

const profileAnswer = z
  .object({
    Jid: z.string(),
    Description: z.string(),
    Address: z.string().nullable(),
    Email: z.string().nullable(),
    Websites: z.array(z.string()),
    Category: z.string().nullable(),
    BusinessHours: z.object({ Timezone: z.string().nullable(), Config: z.array(z.record(z.string(), z.string())) }),
  })
  .meta({ id: 'BusinessProfileAnswer' });
const productAnswer = z
  .object({
    Id: z.string().describe('WhatsApp\'s product id'),
    RetailerId: z.string().nullable().describe('The merchant\'s own id (the Id given at creation)'),
    Name: z.string(),
    Description: z.string().nullable(),
    Price: z.string().nullable(),
    Currency: z.string().nullable(),
    Url: z.string().nullable(),
    Images: z.array(z.string()).describe('Image URLs on WhatsApp\'s media servers'),
    IsHidden: z.boolean(),
    ReviewStatus: z.string().nullable(),
  })
  .meta({ id: 'ProductAnswer' });

const productFields = {
  Name: z.string().trim().min(1, 'must not be empty').max(150).describe('Product name (at most 150 characters)'),
  Images: z.array(mediaSource('Product image')).max(PRODUCT_IMAGES_MAX, `must list at most ${PRODUCT_IMAGES_MAX} images`).describe('Product images, uploaded to WhatsApp\'s media servers'),
  Description: z.string().max(5000).describe('Product description'),
  Price: price,
  Currency: currency,
  Url: url,
  IsHidden: z.boolean().describe('true: customers do not see the product'),
};
const retailerId = z.string().min(1, 'must not be empty').max(64).describe('Your own id for the product (retailer id / SKU)');
const productInput = (id: z.ZodString) =>
  z.object({
    Id: id.optional(),
    Name: productFields.Name.optional(),
    Images: productFields.Images.optional(),
    Description: productFields.Description.optional(),
    Price: productFields.Price.optional(),
    Currency: productFields.Currency.optional(),
    Url: productFields.Url.optional(),
    IsHidden: productFields.IsHidden.optional(),
  });
const idOnly = needs(z.object({ Id: productId.optional() }), 'Id');
const profileText = (max: number, description: string) => z.string().max(max, `must be at most ${max} characters`).describe(`${description} (an empty string clears it)`);

export const businessRoutes = [
  defineRoute({
    method: 'POST', path: '/business/get/profile', auth: 'session', tag: TAG, summary: 'Get business profile.',
    description: `A business's profile from WhatsApp (this account's when \`Jid\` is absent): description, address, email, websites, category, hours. 404 when \`Jid\` is not a business account. ${NOT_BUSINESS}`,
    input: z.object({ Jid: businessJid.optional() }), output: profileAnswer,
    handler: async ({ input, caller }) => businessProfile(caller.session.id, input.Jid),
  }),
  defineRoute({
    method: 'GET', path: '/business/get/categories', auth: 'session', tag: TAG, summary: 'Get business categories.',
    description: `The categories WhatsApp offers a business profile, each with its id. ${NOT_BUSINESS}`,
    output: z.object({ Categories: z.array(z.object({ Id: z.string(), Name: z.string() })) }).meta({ id: 'BusinessCategoriesAnswer' }),
    handler: async ({ caller }) => businessCategories(caller.session.id),
  }),
  defineRoute({
    method: 'POST', path: '/business/update/desc', auth: 'session', tag: TAG, summary: 'Update business desc.',
    description: `Sets the business profile's description; answers the profile WhatsApp then holds. ${NOT_BUSINESS}`,
    input: needs(z.object({ Desc: profileText(512, 'Description').optional() }), 'Desc'), output: profileAnswer,
    handler: async ({ input, caller }) => updateBusinessProfile(caller.session.id, 'description', input.Desc),
  }),
  defineRoute({
    method: 'POST', path: '/business/update/address', auth: 'session', tag: TAG, summary: 'Update business address.',
    description: `Sets the business profile's address; answers the profile WhatsApp then holds. ${NOT_BUSINESS}`,
    input: needs(z.object({ Address: profileText(256, 'Address').optional() }), 'Address'), output: profileAnswer,
    handler: async ({ input, caller }) => updateBusinessProfile(caller.session.id, 'address', input.Address),
  }),
  defineRoute({
    method: 'POST', path: '/business/update/email', auth: 'session', tag: TAG, summary: 'Update business email.',
    description: `Sets the business profile's email; answers the profile WhatsApp then holds. ${NOT_BUSINESS}`,
    input: needs(z.object({ Email: z.union([z.email('must be an email address').max(128), z.literal('')]).describe('Email address (an empty string clears it)').optional() }), 'Email'),
    output: profileAnswer,
    handler: async ({ input, caller }) => updateBusinessProfile(caller.session.id, 'email', input.Email),
  }),
  defineRoute({
    method: 'POST', path: '/business/catalog/create', auth: 'session', tag: TAG, summary: 'Create catalog product.',
    description: `Adds a product to this account's catalog; the images are uploaded first (all read before any upload). \`Id\` is your own id for it (WhatsApp's retailer id); WhatsApp gives the product its own \`Id\`, answered. Price needs Currency. ${NOT_BUSINESS}`,
    input: needs(productInput(retailerId), 'Name'), output: productAnswer,
    handler: async ({ input, caller }) => createProduct(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST', path: '/business/catalog/edit', auth: 'session', tag: TAG, summary: 'Edit catalog product.',
    description: `Changes the fields given of product \`Id\` (\`Images\` replaces all its images). 404 when the catalog has no such product. ${NOT_BUSINESS}`,
    input: needs(productInput(productId), 'Id'), output: productAnswer,
    handler: async ({ input, caller }) => editProduct(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST', path: '/business/catalog/list', auth: 'session', tag: TAG, summary: 'Get catalog.',
    description: `Every product of a business's catalog (this account's when \`Jid\` is absent, its hidden products included; another business's without them). 404 when \`Jid\` is not a business account. ${NOT_BUSINESS}`,
    input: z.object({ Jid: businessJid.optional() }),
    output: z.object({ Jid: z.string(), Products: z.array(productAnswer) }).meta({ id: 'CatalogAnswer' }),
    handler: async ({ input, caller }) => listCatalog(caller.session.id, input.Jid),
  }),
  defineRoute({
    method: 'POST', path: '/business/catalog/info', auth: 'session', tag: TAG, summary: 'Get catalog product.',
    description: `One product of a business's catalog (this account's when \`Jid\` is absent). 404 when there is no such product. ${NOT_BUSINESS}`,
    input: needs(z.object({ Jid: businessJid.optional(), Id: productId.optional() }), 'Id'),
    output: productAnswer.extend({ Jid: z.string() }),
    handler: async ({ input, caller }) => catalogProduct(caller.session.id, input.Jid, input.Id),
  }),
  defineRoute({
    method: 'POST', path: '/business/catalog/delete', auth: 'session', audit: true, tag: TAG, summary: 'Delete catalog product.',
    description: `Deletes product \`Id\` from this account's catalog. 404 when there is no such product. ${NOT_BUSINESS}`,
    input: idOnly, output: z.object({ Details: z.string(), Id: z.string() }),
    handler: async ({ input, caller }) => deleteProduct(caller.session.id, input.Id),
  }),
  defineRoute({
    method: 'POST', path: '/business/catalog/show', auth: 'session', tag: TAG, summary: 'Show product.',
    description: `Makes product \`Id\` visible to customers again. 404 when there is no such product. ${NOT_BUSINESS}`,
    input: idOnly, output: productAnswer,
    handler: async ({ input, caller }) => setProductHidden(caller.session.id, input.Id, false),
  }),
  defineRoute({
    method: 'POST', path: '/business/catalog/hide', auth: 'session', tag: TAG, summary: 'Hide product.',
    description: `Hides product \`Id\` from customers (it stays in the catalog). 404 when there is no such product. ${NOT_BUSINESS}`,
    input: idOnly, output: productAnswer,
    handler: async ({ input, caller }) => setProductHidden(caller.session.id, input.Id, true),
  }),
  defineRoute({
    method: 'POST', path: '/business/order/details', auth: 'session', tag: TAG, summary: 'Get order details.',
    description: `Products, quantities and total of an order a customer placed, read with the order message's \`Token\`. 404 for an unknown order, 403 when the token does not open it. ${NOT_BUSINESS}`,
    input: z.object({
      OrderId: z.string().min(1, 'must not be empty').max(64).regex(/^\d+$/, 'must be a WhatsApp order id (digits)'),
      Token: z.string().min(1, 'must not be empty').max(512).describe('The order message\'s token (base64)'),
    }),
    output: z
      .object({
        OrderId: z.string(),
        Total: z.string(),
        Currency: z.string(),
        Products: z.array(z.object({ Id: z.string(), Name: z.string(), ImageUrl: z.string().nullable(), Price: z.string(), Currency: z.string(), Quantity: z.number() })),
      })
      .meta({ id: 'OrderAnswer' }),
    handler: async ({ input, caller }) => orderDetails(caller.session.id, input.OrderId, input.Token),
  }),
  defineRoute({
    method: 'POST', path: '/business/send/catalog', auth: 'session', tag: TAG, summary: 'Send business catalog.',
    description: `Sends a catalog (or product) link message, as the WhatsApp Business app shares its catalog: \`Text\` (the link appended when absent), \`MatchedText\` the link (\`https://wa.me/c/<number>\` or \`https://wa.me/p/<product id>/<number>\`), \`Title\` the preview's title. ${NOT_BUSINESS}`,
    input: z.object({
      Phone: phone(),
      Text: z.string().min(1, 'must not be empty').max(4096),
      MatchedText: z.string().min(1, 'must not be empty').max(256).describe('The catalog or product link'),
      Title: z.string().min(1, 'must not be empty').max(256).describe('Title of the link preview'),
    }),
    output: sendAnswer,
    handler: async ({ input, caller }) => sendBusinessCatalog(caller.session.id, input),
  }),
];

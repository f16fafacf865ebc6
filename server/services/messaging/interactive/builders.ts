import { randomBytes } from 'node:crypto';
import { proto } from 'baileys';
import type { ButtonInput } from './fields';
import type { ButtonsInput, CarouselInput, ListInput, LocationButtonInput, PixButtonInput, ReviewPayInput, TemplateInput } from './inputs';
import type { HeaderMedia } from './media';
import { namedFlowButton, nativeFlowButton, nativeFlowMessage } from './native-flow';
import { inferPixType, pixPaymentSetting, type PixType } from './pix';

/**
 * Pure builders: route input → the `proto.Message` WhatsApp uses for that kind of message.
 * (Recipients, uploads and relaying live in interactive.service.ts.)
 */

/** /send/buttons → `interactiveMessage` {header.title, body, footer, nativeFlowMessage.buttons}. */
export function buildButtons(input: ButtonsInput): proto.IMessage {
  return { interactiveMessage: nativeFlowMessage({ title: input.Title, body: input.Content, footer: input.Footer, buttons: input.Buttons.map(nativeFlowButton) }) };
}

function hydratedButton(button: ButtonInput, index: number): proto.IHydratedTemplateButton {
  switch (button.Type) {
    case 'url':
      return { index, urlButton: { displayText: button.Text, url: button.Url } };
    case 'call':
      return { index, callButton: { displayText: button.Text, phoneNumber: button.Phone } };
    default:
      return { index, quickReplyButton: { displayText: button.Text, id: button.Id } };
  }
}

/**
 * /send/template → `templateMessage` with a `HydratedFourRowTemplate` (hydratedTitleText,
 * hydratedContentText, hydratedFooterText, hydratedButtons: quickReplyButton / urlButton /
 * callButton), set as both `hydratedTemplate` and `hydratedFourRowTemplate` like WhatsApp clients.
 */
export function buildTemplate(input: TemplateInput): proto.IMessage {
  const template: proto.Message.TemplateMessage.IHydratedFourRowTemplate = {
    ...(input.Title ? { hydratedTitleText: input.Title } : {}),
    hydratedContentText: input.Content,
    ...(input.Footer ? { hydratedFooterText: input.Footer } : {}),
    hydratedButtons: (input.Buttons ?? []).map((b, i) => hydratedButton(b, i + 1)),
  };
  return { templateMessage: { hydratedTemplate: template, hydratedFourRowTemplate: template } };
}

/** /send/list → `listMessage` (SINGLE_SELECT): title = TopText, description = Desc, buttonText, sections → rows. */
export function buildList(input: ListInput): proto.IMessage {
  return {
    listMessage: {
      title: input.TopText,
      description: input.Desc,
      buttonText: input.ButtonText,
      listType: proto.Message.ListMessage.ListType.SINGLE_SELECT,
      sections: input.List.map((section) => ({
        title: section.Title ?? '',
        rows: section.Rows.map((row) => ({ rowId: row.Id, title: row.Title, description: row.Description ?? '' })),
      })),
      ...(input.Footer ? { footerText: input.Footer } : {}),
    },
  };
}

export const DEFAULT_LOCATION_PROMPT = 'Please share your location.';

/** /send/locationbutton → `interactiveMessage` with one native-flow `send_location` button. */
export function buildLocationButton(input: LocationButtonInput): proto.IMessage {
  return {
    interactiveMessage: nativeFlowMessage({ body: input.Body || DEFAULT_LOCATION_PROMPT, buttons: [namedFlowButton('send_location', { display_text: 'Send location' })] }),
  };
}

function referenceId(given?: string): string {
  return given ?? randomBytes(8).toString('hex').toUpperCase().slice(0, 11);
}

function pixOf(input: { PixKey: string; PixType?: PixType; MerchantName?: string }) {
  // The schema guarantees the type is given or inferable.
  const type = input.PixType ?? inferPixType(input.PixKey) ?? 'EVP';
  return pixPaymentSetting({ key: input.PixKey, type, merchantName: input.MerchantName ?? '' });
}

/** /send/pixbutton → `interactiveMessage` with a native-flow `payment_info` button (PIX static code). */
export function buildPixButton(input: PixButtonInput): proto.IMessage {
  const zero = { value: 0, offset: 100 };
  const params = {
    currency: 'BRL',
    total_amount: zero,
    reference_id: referenceId(),
    type: 'physical-goods',
    order: { status: 'pending', subtotal: zero, order_type: 'ORDER', items: [] },
    payment_settings: [pixOf(input)],
    share_payment_status: false,
  };
  return { interactiveMessage: nativeFlowMessage({ title: input.Title, body: input.Body, footer: input.Footer, buttons: [namedFlowButton('payment_info', params)] }) };
}

/** /send/reviewpay → `interactiveMessage` with a native-flow `review_and_pay` button: the order, its total and PIX. */
export function buildReviewPay(input: ReviewPayInput): proto.IMessage {
  const offset = input.TotalOffset ?? 100;
  const items = (input.Items ?? []).map((item, i) => ({
    retailer_id: item.RetailerId ?? `item-${i + 1}`,
    name: item.Name,
    amount: { value: item.Value, offset },
    quantity: item.Quantity,
  }));
  const subtotal = items.reduce((sum, item) => sum + item.amount.value * item.quantity, 0);
  const total = input.TotalValue ?? subtotal;
  const params = {
    currency: input.Currency ?? 'BRL',
    total_amount: { value: total, offset },
    reference_id: referenceId(input.ReferenceID),
    type: 'physical-goods',
    order: { status: 'pending', subtotal: { value: items.length ? subtotal : total, offset }, order_type: 'ORDER', items },
    payment_settings: [pixOf(input)],
    share_payment_status: false,
  };
  return {
    interactiveMessage: nativeFlowMessage({ title: input.Title, subtitle: input.Caption, body: input.Body, footer: input.Footer, buttons: [namedFlowButton('review_and_pay', params)] }),
  };
}

/**
 * /send/carousel and /send/carouselmedia → `interactiveMessage` {body, footer, carouselMessage:
 * {cards: [InteractiveMessage {header (title, media), body, footer, nativeFlowMessage.buttons}]}}.
 */
export function buildCarousel(input: CarouselInput, media: Array<HeaderMedia | undefined> = []): proto.IMessage {
  const cards = (input.Cards ?? []).map((card, i) =>
    nativeFlowMessage({ title: card.Title ?? '', body: card.Body, footer: card.Footer, media: media[i], buttons: card.Buttons.map(nativeFlowButton) }),
  );
  return {
    interactiveMessage: {
      body: { text: input.Body ?? '' },
      ...(input.Footer ? { footer: { text: input.Footer } } : {}),
      carouselMessage: { cards, messageVersion: 1, carouselCardType: proto.Message.InteractiveMessage.CarouselMessage.CarouselCardType.HSCROLL_CARDS },
    },
  };
}

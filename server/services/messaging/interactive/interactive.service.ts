import type { BinaryNode, proto } from 'baileys';
import { checkedRecipient, recipient, type SendAnswer } from '../outgoing';
import { relayProto } from '../relay-proto';
import { buildButtons, buildCarousel, buildList, buildLocationButton, buildPixButton, buildReviewPay, buildTemplate } from './builders';
import type { ButtonsInput, CarouselInput, CarouselMediaInput, ListInput, LocationButtonInput, MediaButtonInput, PixButtonInput, ReviewPayInput, TemplateInput } from './inputs';
import { readCardMedia, readHeaderMedia, uploadHeaderMedia } from './media';
import { bizNode, nativeFlowButton, nativeFlowMessage } from './native-flow';

/** The interactive sends: validated input → proto (builders.ts) → the session's send queue. */

function send(sessionId: string, phone: string, message: proto.IMessage, biz: BinaryNode | undefined, id?: string): Promise<SendAnswer> {
  const to = recipient(phone);
  return relayProto(sessionId, to, async () => message, { id, additionalNodes: biz ? [biz] : [] });
}

export const sendButtons = (sessionId: string, input: ButtonsInput) => send(sessionId, input.Phone, buildButtons(input), bizNode('native_flow'), input.Id);

export const sendTemplate = (sessionId: string, input: TemplateInput) => send(sessionId, input.Phone, buildTemplate(input), undefined, input.Id);

export const sendList = (sessionId: string, input: ListInput) => send(sessionId, input.Phone, buildList(input), bizNode('list'), input.Id);

export const sendLocationButton = (sessionId: string, input: LocationButtonInput) =>
  // The schema requires Phone (documented as optional in the contract).
  send(sessionId, input.Phone ?? '', buildLocationButton(input), bizNode('native_flow'), input.Id);

export const sendPixButton = (sessionId: string, input: PixButtonInput) => send(sessionId, input.Phone, buildPixButton(input), bizNode('payment_info'), input.Id);

export const sendReviewPay = (sessionId: string, input: ReviewPayInput) => send(sessionId, input.Phone, buildReviewPay(input), bizNode('review_and_pay'), input.Id);

export const sendCarousel = (sessionId: string, input: CarouselInput) => send(sessionId, input.Phone ?? '', buildCarousel(input), bizNode('native_flow'), input.Id);

/**
 * /send/mediabutton → `interactiveMessage` whose header carries the uploaded image, video or
 * document (`header.imageMessage` … with `hasMediaAttachment`), plus body, footer and buttons.
 */
export async function sendMediaButton(sessionId: string, input: MediaButtonInput): Promise<SendAnswer> {
  const to = await checkedRecipient(sessionId, input.Phone);
  const media = await readHeaderMedia('Media', input.Media, input.Type, input.Filename);
  return relayProto(
    sessionId,
    to,
    async (sock) => ({
      interactiveMessage: nativeFlowMessage({
        title: input.Title ?? '',
        body: input.Content,
        footer: input.Footer,
        media: await uploadHeaderMedia(sock, input.Type, media, input.Filename),
        buttons: input.Buttons.map(nativeFlowButton),
      }),
    }),
    { id: input.MessageId, additionalNodes: [bizNode('native_flow')] },
  );
}

/** /send/carouselmedia: every card's header is an uploaded image or video (all cards the same kind). */
export async function sendCarouselMedia(sessionId: string, input: CarouselMediaInput): Promise<SendAnswer> {
  const to = await checkedRecipient(sessionId, input.Phone ?? '');
  const cards = input.Cards ?? [];
  const { kind, media } = await readCardMedia(cards.map((card, i) => ({ field: `Cards[${i}].Media`, value: card.Media })));
  return relayProto(
    sessionId,
    to,
    async (sock) => {
      const headers = await Promise.all(media.map((m) => uploadHeaderMedia(sock, kind, m)));
      return buildCarousel(input, headers);
    },
    { id: input.Id, additionalNodes: [bizNode('native_flow')] },
  );
}

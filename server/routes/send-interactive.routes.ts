import { defineRoute } from '../http/route';
import { sendAnswer } from './schemas';
import {
  buttonsInput,
  carouselMediaInput,
  carouselTextInput,
  listInput,
  locationButtonInput,
  mediaButtonInput,
  pixButtonInput,
  reviewPayInput,
  templateInput,
} from '../services/messaging/interactive/inputs';
import { contactInput, groupInviteInput, locationInput, pollInput, previewInput } from '../services/messaging/interactive/structured-inputs';
import {
  sendButtons,
  sendCarousel,
  sendCarouselMedia,
  sendList,
  sendLocationButton,
  sendMediaButton,
  sendPixButton,
  sendReviewPay,
  sendTemplate,
} from '../services/messaging/interactive/interactive.service';
import { sendContact, sendGroupInvite, sendLocation, sendPoll, sendPreview } from '../services/messaging/send-structured.service';

const tag = 'Sending messages';
const BUTTON_DOC =
  'A button is `{Type, Id, Text, Url, Code, Phone}`: `Type` quick_reply (default; `Id` required, sent back when tapped), url (`Url`), copy (`Code` copied) or call (`Phone`).';

export const sendInteractiveRoutes = [
  defineRoute({
    method: 'POST', path: '/send/poll', auth: 'session', tag, summary: 'Send poll.',
    description: 'Sends a poll: `Question`, 2 to 12 distinct `Options`, `MaxAnswer` how many a voter may pick (1 single choice, 0 any number).',
    input: pollInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendPoll(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST', path: '/send/location', auth: 'session', tag, summary: 'Send location.',
    description: 'Sends a location pin (`Latitude` −90…90, `Longitude` −180…180, optional `Name`, `Address`).',
    input: locationInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendLocation(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST', path: '/send/contact', auth: 'session', tag, summary: 'Send contact.',
    description: 'Sends a contact card. `Vcard` is `{FullName, Phone, Organization, Title, Email, Url, Note}` (FullName and Phone required); WaGo writes the vCard 3.0 with the WhatsApp number (waid) of `Phone`.',
    input: contactInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendContact(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST', path: '/send/template', auth: 'session', tag, summary: 'Send template.',
    description: `Sends a template message (hydrated four-row template): \`Title\`, \`Content\`, \`Footer\` and up to 3 \`Buttons\` (an array or one object). ${BUTTON_DOC} Copy buttons are not available in templates.`,
    input: templateInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendTemplate(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST', path: '/send/buttons', auth: 'session', tag, summary: 'Send buttons.',
    description: `Sends an interactive message with native-flow buttons: header \`Title\`, body \`Content\`, \`Footer\`, 1 to 10 \`Buttons\` (an array or one object). ${BUTTON_DOC}`,
    input: buttonsInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendButtons(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST', path: '/send/list', auth: 'session', tag, summary: 'Send list.',
    description: 'Sends a list: `TopText` title, `Desc` body, `ButtonText` opens it, `List` is sections `[{Title, Rows: [{Id, Title, Description}]}]` (or one section object), at most 10 rows in all, row ids unique. Optional `Footer`.',
    input: listInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendList(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST', path: '/send/mediabutton', auth: 'session', tag, summary: 'Send button media.',
    description: `Sends an interactive message whose header is an image, video or document (\`Type\`), given in \`Media\` as a base64 data URL (data:image/jpeg;base64,…); body \`Content\`, optional \`Title\`, \`Footer\`, \`Filename\` (documents), \`MessageId\`. ${BUTTON_DOC}`,
    input: mediaButtonInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendMediaButton(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST', path: '/send/preview', auth: 'session', tag, summary: 'Send link preview.',
    description: 'Sends `Text` with a link preview of `MatchedURL` (appended to the text when absent): `Title`, `Description` and `Image` (base64 JPEG/PNG/WebP, sent as an inline JPEG thumbnail).',
    input: previewInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendPreview(caller.session.id, input, false),
  }),
  defineRoute({
    method: 'POST', path: '/send/preview2', auth: 'session', tag, summary: 'Send link preview2.',
    description: 'Like /send/preview, and the image is also uploaded in full so phones show the large preview.',
    input: previewInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendPreview(caller.session.id, input, true),
  }),
  defineRoute({
    method: 'POST', path: '/send/groupinvite', auth: 'session', tag, summary: 'Send group invite.',
    description: 'Sends `Text` with a preview of `MatchedText` (an http(s) link, appended when absent) titled `Title`. For a `https://chat.whatsapp.com/<code>` link the preview is a group invite ("Join"), as when the link is pasted on a phone.',
    input: groupInviteInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendGroupInvite(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST', path: '/send/locationbutton', auth: 'session', tag, summary: 'Send location button.',
    description: 'Sends `Body` (default "Please share your location.") with a "Send location" button. `Phone` is required although the contract lists it as optional.',
    input: locationButtonInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendLocationButton(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST', path: '/send/pixbutton', auth: 'session', tag, summary: 'Send pix button.',
    description: 'Sends `Body` with a PIX payment button (native flow payment_info) showing `PixKey`; `PixType` CPF, CNPJ, EMAIL, PHONE (+55…) or EVP (random key) is inferred when absent and the key must fit it.',
    input: pixButtonInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendPixButton(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST', path: '/send/reviewpay', auth: 'session', tag, summary: 'Send review and pay button.',
    description:
      'Sends an order to review and pay by PIX (native flow review_and_pay). Values are integers in minor units divided by `TotalOffset` (default 100: 1990 is 19.90); `Items` `[{Name, Quantity, Value, RetailerId}]`; `TotalValue` defaults to the sum of the items (required without items); `Currency` defaults to BRL; `Caption` is the header subtitle.',
    input: reviewPayInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendReviewPay(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST', path: '/send/carousel', auth: 'session', tag, summary: 'Send carousel button.',
    description: `Sends cards swiped sideways. Fields (undocumented by the contract, all validated): \`Phone\` (required), \`Body\` text above the cards, \`Footer\`, \`Cards\` (required, 1 to 10) \`[{Title, Body, Footer, Buttons}]\` with the same number of buttons (1 to 3) on every card, \`Id\`. ${BUTTON_DOC}`,
    input: carouselTextInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendCarousel(caller.session.id, input),
  }),
  defineRoute({
    method: 'POST', path: '/send/carouselmedia', auth: 'session', tag, summary: 'Send carousel button media.',
    description: `Like /send/carousel, and every card has \`Media\`: an image or video as a base64 data URL (all cards the same kind). ${BUTTON_DOC}`,
    input: carouselMediaInput, output: sendAnswer,
    handler: async ({ input, caller }) => sendCarouselMedia(caller.session.id, input),
  }),
];

import type { BinaryNode, proto } from 'baileys';
import type { ButtonInput } from './fields';

type NativeFlowButton = proto.Message.InteractiveMessage.NativeFlowMessage.INativeFlowButton;
type InteractiveMessage = proto.Message.IInteractiveMessage;

/**
 * Native-flow buttons (`Message.InteractiveMessage.NativeFlowMessage.NativeFlowButton`): a `name`
 * and its parameters as JSON (`buttonParamsJson`), as WhatsApp Business clients send them:
 * quick_reply {display_text, id}, cta_url {display_text, url, merchant_url}, cta_copy
 * {display_text, id, copy_code}, cta_call {display_text, phone_number}, send_location
 * {display_text}, payment_info / review_and_pay {currency, total_amount, order, payment_settings…}.
 */
export function nativeFlowButton(button: ButtonInput): NativeFlowButton {
  const display_text = button.Text;
  switch (button.Type) {
    case 'quick_reply':
      return { name: 'quick_reply', buttonParamsJson: JSON.stringify({ display_text, id: button.Id }) };
    case 'url':
      return { name: 'cta_url', buttonParamsJson: JSON.stringify({ display_text, url: button.Url, merchant_url: button.Url }) };
    case 'copy':
      return { name: 'cta_copy', buttonParamsJson: JSON.stringify({ display_text, id: button.Id ?? button.Code, copy_code: button.Code }) };
    case 'call':
      return { name: 'cta_call', buttonParamsJson: JSON.stringify({ display_text, phone_number: button.Phone }) };
  }
}

export function namedFlowButton(name: string, params: Record<string, unknown>): NativeFlowButton {
  return { name, buttonParamsJson: JSON.stringify(params) };
}

export interface InteractiveParts {
  title?: string;
  subtitle?: string;
  body?: string;
  footer?: string;
  /** Header media (`imageMessage`, `videoMessage` or `documentMessage`), already uploaded. */
  media?: Pick<proto.Message.InteractiveMessage.IHeader, 'imageMessage' | 'videoMessage' | 'documentMessage'>;
  buttons: NativeFlowButton[];
}

/** `Message.InteractiveMessage` with a header, body, footer and a `nativeFlowMessage`. */
export function nativeFlowMessage(parts: InteractiveParts): InteractiveMessage {
  const hasHeader = parts.title !== undefined || parts.subtitle !== undefined || parts.media !== undefined;
  return {
    ...(hasHeader ? { header: { title: parts.title ?? '', subtitle: parts.subtitle, hasMediaAttachment: parts.media !== undefined, ...parts.media } } : {}),
    body: { text: parts.body ?? '' },
    ...(parts.footer ? { footer: { text: parts.footer } } : {}),
    nativeFlowMessage: { buttons: parts.buttons, messageParamsJson: '', messageVersion: 1 },
  };
}

/**
 * The `<biz>` stanza child WhatsApp expects beside interactive messages so phones render them:
 * native flow buttons as `<interactive type="native_flow"><native_flow name="mixed"/>`, payments
 * as `native_flow_name` (payment_info, order_details for review_and_pay), lists as `<list type="product_list">`.
 */
export function bizNode(kind: 'native_flow' | 'payment_info' | 'review_and_pay' | 'list'): BinaryNode {
  switch (kind) {
    case 'native_flow':
      return {
        tag: 'biz',
        attrs: {},
        content: [{ tag: 'interactive', attrs: { type: 'native_flow', v: '1' }, content: [{ tag: 'native_flow', attrs: { v: '9', name: 'mixed' } }] }],
      };
    case 'payment_info':
      return { tag: 'biz', attrs: { native_flow_name: 'payment_info' } };
    case 'review_and_pay':
      return { tag: 'biz', attrs: { native_flow_name: 'order_details' } };
    case 'list':
      return { tag: 'biz', attrs: {}, content: [{ tag: 'list', attrs: { type: 'product_list', v: '2' } }] };
  }
}

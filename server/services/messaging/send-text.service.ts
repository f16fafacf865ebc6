import { recipient, sendContent, type ContextInfoInput, type SendAnswer } from './outgoing';

export interface SendTextInput {
  Phone: string;
  Body: string;
  Id?: string;
  ContextInfo?: ContextInfoInput;
}

/** A text message (a reply when ContextInfo.StanzaId names the quoted message). */
export async function sendText(sessionId: string, input: SendTextInput): Promise<SendAnswer> {
  const to = recipient(input.Phone);
  return sendContent(sessionId, to, { text: input.Body }, { id: input.Id, contextInfo: input.ContextInfo });
}

import { binaryNodeToString, type BinaryNode, type WASocket } from 'baileys';
import type { Logger } from '../../logger';
import { userRef } from '../events/jid';
import { lidResolverOf } from '../lid-memo';
import type { CallBook } from './call-book';
import type { CallMedia } from '../../calls/call-media';
import { readCallNode } from './call-nodes';

/**
 * Feeds the raw `<call>` stanzas WhatsApp sends this session into its call book. Baileys acks them
 * and raises its own `call` event too; the raw stanza is read here because it carries what that
 * event leaves out (the call's creator, a terminate's reason). Stanzas are applied one at a time,
 * in the order they arrived; `onRinging` runs after an offer was tracked (automatic rejection). A `<transport>` carrying the emulator's SDP goes to the call's media.
 */
export function bindCalls(sock: WASocket, book: CallBook, media: CallMedia, logger: Logger, onRinging?: (callId: string) => Promise<void>): void {
  const resolver = sock.signalRepository?.lidMapping ? lidResolverOf(sock) : undefined;
  let chain: Promise<void> = Promise.resolve();
  sock.ws.on('CB:call', (stanza: BinaryNode) => {
    const signal = readCallNode(stanza);
    if (!signal) {
      logger.warn({ node: binaryNodeToString(stanza) }, 'call stanza without a step or call id ignored');
      return;
    }
    chain = chain
      .then(() => (signal.webrtc ? media.onTransport(signal) : book.onSignal(signal, (s) => userRef(s.isGroup ? s.creator : s.from, s.callerPn, resolver))))
      .then(() => (signal.kind === 'offer' && !signal.webrtc && onRinging ? onRinging(signal.callId) : undefined))
      .catch((error: unknown) => logger.error({ err: error, callId: signal.callId, kind: signal.kind }, 'could not track a call stanza'));
  });
}

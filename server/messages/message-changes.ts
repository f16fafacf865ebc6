import type { EventBus } from '../events/bus';
import type { WagoEvent } from '../events/types';
import type { Logger } from '../logger';
import type { Prisma } from '../generated/prisma/client';
import { messageRepository } from '../repositories/message.repository';

/** protocolMessage types (WAProto `Message.ProtocolMessage.Type`) that change an earlier message. */
const REVOKE = 0;
const MESSAGE_EDIT = 14;

/** Wrappers whose `message` holds the real content. */
const WRAPPERS = ['ephemeralMessage', 'viewOnceMessage', 'viewOnceMessageV2', 'viewOnceMessageV2Extension', 'documentWithCaptionMessage', 'editedMessage', 'deviceSentMessage'] as const;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The content inside wrapper messages (ephemeral, view-once, edited, device-sent copies). */
export function unwrap(message: Json | null | undefined): Json | null {
  let current: Json | null = message ?? null;
  for (let depth = 0; current && depth < 5; depth++) {
    const wrapper = WRAPPERS.find((w) => isObject(current?.[w]) && isObject((current[w] as Json).message));
    if (!wrapper) break;
    current = (current[wrapper] as Json).message as Json;
  }
  return current;
}

/** The text of message content: body or caption. */
export function textOf(content: Json | null): string | null {
  if (!content) return null;
  if (typeof content.conversation === 'string') return content.conversation;
  for (const kind of ['extendedTextMessage', 'imageMessage', 'videoMessage', 'documentMessage']) {
    const part = content[kind];
    if (isObject(part)) {
      const text = part.text ?? part.caption;
      if (typeof text === 'string') return text;
    }
  }
  return null;
}

/** What a message event changes in the store, if anything. */
export type MessageChange =
  | { kind: 'reaction'; target: string; reactor: string; emoji: string | null }
  | { kind: 'edit'; target: string; text: string | null; content: Json | null }
  | { kind: 'delete'; target: string };

interface MessageEventData {
  id: string | null;
  from: { jid: string | null; lid: string | null } | null;
  fromMe: boolean;
  timestamp: number;
  type: string | null;
  message: Json | null;
}

/** Reads a reaction, an edit or a deletion for everyone out of a Message event's data. */
export function changeOf(data: MessageEventData): MessageChange | null {
  if (data.type !== 'reactionMessage' && data.type !== 'protocolMessage') return null;
  const content = unwrap(data.message);
  if (data.type === 'reactionMessage') {
    const reaction = content?.reactionMessage;
    if (!isObject(reaction) || !isObject(reaction.key) || typeof reaction.key.id !== 'string') return null;
    const reactor = data.fromMe ? 'me' : (data.from?.jid ?? data.from?.lid);
    if (!reactor) return null;
    const emoji = typeof reaction.text === 'string' && reaction.text !== '' ? reaction.text : null;
    return { kind: 'reaction', target: reaction.key.id, reactor, emoji };
  }
  const protocol = content?.protocolMessage;
  if (!isObject(protocol) || !isObject(protocol.key) || typeof protocol.key.id !== 'string') return null;
  if (protocol.type === REVOKE || protocol.type === 'REVOKE') return { kind: 'delete', target: protocol.key.id };
  if (protocol.type === MESSAGE_EDIT || protocol.type === 'MESSAGE_EDIT') {
    const edited = isObject(protocol.editedMessage) ? unwrap(protocol.editedMessage) : null;
    return { kind: 'edit', target: protocol.key.id, text: textOf(edited), content: edited };
  }
  return null;
}

/**
 * Keeps the message store in step with what happens to messages after they were stored:
 * reactions (kept per reactor in `reactions`; "me" for this session's own), edits (new text,
 * `editedAt`) and deletions for everyone (content dropped, `deletedAt`). Works from the Message
 * events of the reaction and protocol messages themselves, whichever side sent them. A change
 * may overtake the store's batched write of its target, so a miss is retried a few times.
 */
export function startMessageChanges(bus: EventBus, logger: Logger, retryDelaysMs: readonly number[] = [100, 500, 2000]): { stop(): Promise<void> } {
  const log = logger.child({ component: 'message-changes' });
  const pending = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const apply = (sessionId: string, change: MessageChange, at: Date): Promise<number> => {
    const target = { sessionId, messageId: change.target, chatJid: null };
    if (change.kind === 'reaction') return messageRepository.setReaction({ ...target, reactor: change.reactor, emoji: change.emoji });
    if (change.kind === 'edit') return messageRepository.markEdited({ ...target, text: change.text, content: change.content as Prisma.InputJsonValue | null, at });
    return messageRepository.markDeleted({ ...target, at });
  };

  const attempt = (sessionId: string, change: MessageChange, at: Date, tries: number): void => {
    const run = apply(sessionId, change, at).then(
      (rows) => {
        if (rows > 0 || stopped) return;
        const delay = retryDelaysMs[tries];
        if (delay === undefined) {
          log.debug({ sessionId, kind: change.kind, target: change.target }, 'change of a message that is not stored');
          return;
        }
        const timer = setTimeout(() => {
          timers.delete(timer);
          attempt(sessionId, change, at, tries + 1);
        }, delay);
        timers.add(timer);
      },
      (error: unknown) => log.error({ err: error, sessionId, kind: change.kind, target: change.target }, 'could not store a message change'),
    );
    pending.add(run);
    void run.finally(() => pending.delete(run));
  };

  const unsubscribe = bus.subscribe((event: WagoEvent) => {
    if (event.type !== 'Message') return;
    const data = event.data as unknown as MessageEventData;
    const change = changeOf(data);
    if (change) attempt(event.sessionId, change, new Date(data.timestamp * 1000), 0);
  });

  return {
    async stop() {
      stopped = true;
      unsubscribe();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all([...pending]);
    },
  };
}

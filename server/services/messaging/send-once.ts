import { conflict } from '../../http/errors';
import { messageRepository } from '../../repositories/message.repository';
import type { SendAnswer } from './outgoing';

/** Answers of sends with an `Id`, kept a while so a repeat right after the answer is not sent again (the store may not have it yet). */
const RECENT_MAX = 10_000;
const RECENT_MS = 10 * 60_000;
const recent = new Map<string, { answer: SendAnswer; at: number }>();
const inFlight = new Map<string, Promise<SendAnswer>>();

function remember(key: string, answer: SendAnswer): void {
  recent.delete(key);
  recent.set(key, { answer, at: Date.now() });
  while (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
}

/**
 * A send with a caller-chosen `Id` is made once: the same `Id` again (a retry after a timeout, a
 * broken connection or a WaGo restart) is answered with the first send's message — from memory
 * while it runs or was just answered, else from the message store — and nothing is sent again.
 * An `Id` already used for another chat is refused (409). Without `Id` every call sends.
 */
export async function sendOnce(sessionId: string, to: string, id: string | undefined, send: () => Promise<SendAnswer>): Promise<SendAnswer> {
  if (!id) return send();
  const key = `${sessionId}/${id}`;
  const running = inFlight.get(key);
  if (running) return running;
  const known = recent.get(key);
  if (known && Date.now() - known.at < RECENT_MS) return sameChat(known.answer, to);
  const job = (async () => {
    const stored = await messageRepository.findOwnSent(sessionId, id);
    if (stored) {
      return sameChat(
        { Id: id, Timestamp: Math.floor(stored.timestamp.getTime() / 1000), Jid: stored.chatJid, Lid: stored.chatLid, Status: stored.status },
        to,
      );
    }
    const answer = await send();
    remember(key, answer);
    return answer;
  })();
  inFlight.set(key, job);
  try {
    return await job;
  } finally {
    inFlight.delete(key);
  }
}

function sameChat(answer: SendAnswer, to: string): SendAnswer {
  if (answer.Jid !== to && answer.Lid !== to) throw conflict('Id: already used for a message to another chat');
  return answer;
}

import type { EventBus } from '../../events/bus';
import type { LabelUpdateData, WagoEvent } from '../../events/types';
import type { Logger } from '../../logger';
import { labelRepository } from '../../repositories/label.repository';

/** Stores what a LabelUpdate says (idempotent: the same change applied twice is one change). */
export async function applyLabelUpdate(sessionId: string, data: LabelUpdateData): Promise<void> {
  if (data.kind === 'edit') {
    await labelRepository.upsert(sessionId, { labelId: data.labelId, name: data.name ?? undefined, color: data.color ?? undefined, predefinedId: data.predefinedId === null ? undefined : Number(data.predefinedId) || null, deleted: Boolean(data.deleted) });
    return;
  }
  const chatJid = data.chat?.jid ?? data.chat?.lid;
  if (!chatJid || data.labeled === null) return;
  await labelRepository.link(sessionId, { labelId: data.labelId, chatJid, messageId: data.messageId ?? '' }, data.labeled);
}

/**
 * Keeps each session's labels in PostgreSQL: every LabelUpdate (made through WaGo, on the phone or
 * on another linked device, all arriving through the app-state sync) is stored in arrival order.
 */
export function startLabelStore(bus: EventBus, logger: Logger) {
  const log = logger.child({ component: 'label-store' });
  let chain: Promise<void> = Promise.resolve();
  const unsubscribe = bus.subscribe((event: WagoEvent) => {
    if (event.type !== 'LabelUpdate') return;
    const data = event.data as LabelUpdateData;
    chain = chain.then(() =>
      applyLabelUpdate(event.sessionId, data).catch((error: unknown) => {
        log.error({ err: error, sessionId: event.sessionId, labelId: data.labelId }, 'could not store a label change');
      }),
    );
    return chain;
  });
  return {
    async stop() {
      unsubscribe();
      await chain;
    },
  };
}

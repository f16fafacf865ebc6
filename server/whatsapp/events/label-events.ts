import type { BaileysEventMap } from 'baileys';
import type { LabelUpdateData } from '../../events/types';
import type { LidResolver } from '../lid-memo';
import type { Publish } from './bind-events';
import { userRef } from './jid';

const none = { name: null, color: null, predefinedId: null, deleted: null, labeled: null, chat: null, messageId: null } as const;

/** WhatsApp Business label changes (app state: label_edit, label_jid, label_message) become LabelUpdate. */
export function labelEventHandlers(publish: Publish, resolver: LidResolver | undefined) {
  return {
    'labels.edit': async (label: BaileysEventMap['labels.edit']) => {
      const data: LabelUpdateData = {
        ...none,
        kind: 'edit',
        labelId: label.id,
        name: label.name ?? null,
        color: typeof label.color === 'number' ? label.color : null,
        predefinedId: label.predefinedId ?? null,
        deleted: Boolean(label.deleted),
      };
      await publish('LabelUpdate', data);
    },
    'labels.association': async ({ association, type }: BaileysEventMap['labels.association']) => {
      const data: LabelUpdateData = {
        ...none,
        kind: 'messageId' in association ? 'message' : 'chat',
        labelId: association.labelId,
        labeled: type === 'add',
        chat: await userRef(association.chatId, null, resolver),
        messageId: 'messageId' in association ? association.messageId : null,
      };
      await publish('LabelUpdate', data);
    },
  };
}

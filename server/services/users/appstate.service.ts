import { ALL_WA_PATCH_NAMES, type WAPatchName } from 'baileys';
import { conflict } from '../../http/errors';
import { connectedSession } from '../messaging/outgoing';
import { APP_STATE_KEY_WAIT_MS, appStateKey } from '../chat.service';

export interface CollectionSync {
  Name: WAPatchName;
  /** Version held before the resync. */
  VersionBefore: number;
  /** Version held after it. */
  Version: number;
  /** Patches applied by this resync (each moves the version on by one). */
  Patches: number;
  /** Mutations (index entries: pins, mutes, contacts, settings…) the collection holds now. */
  Mutations: number;
}

/** Re-syncs every app-state collection from WhatsApp and reports what each holds. */
export async function resyncAppState(sessionId: string): Promise<{ Details: string; Collections: CollectionSync[] }> {
  const { sock } = connectedSession(sessionId);
  if (!(await appStateKey(sock, APP_STATE_KEY_WAIT_MS))) throw conflict('the phone has not shared its app-state key with this session yet; try again in a moment');
  const names = [...ALL_WA_PATCH_NAMES];
  const read = () => sock.authState.keys.get('app-state-sync-version', names);
  const before = await read();
  await sock.resyncAppState(names, false);
  const after = await read();
  return {
    Details: 'App state synced',
    Collections: names.map((name) => {
      const was = before[name]?.version ?? 0;
      const now = after[name]?.version ?? 0;
      return { Name: name, VersionBefore: was, Version: now, Patches: Math.max(0, now - was), Mutations: Object.keys(after[name]?.indexValueMap ?? {}).length };
    }),
  };
}

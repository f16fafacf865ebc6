import { join, resolve } from 'node:path';
import type { Config } from '../config';

/** The folders call media is confined to, absolute (configured at run time: not traced by the dashboard's build). */
export function callFolders(config: Pick<Config, 'WAGO_DATA_DIR' | 'WAGO_CALL_MEDIA_DIR' | 'WAGO_CALL_RECORDINGS_DIR'>): { media: string; recordings: string } {
  return {
    media: resolve(/*turbopackIgnore: true*/ config.WAGO_CALL_MEDIA_DIR ?? join(config.WAGO_DATA_DIR, 'call-media')),
    recordings: resolve(/*turbopackIgnore: true*/ config.WAGO_CALL_RECORDINGS_DIR ?? join(config.WAGO_DATA_DIR, 'call-recordings')),
  };
}

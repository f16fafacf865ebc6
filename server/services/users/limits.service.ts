import { getRuntime } from '../../runtime/registry';
import { MEDIA_KINDS, maxBytesFor, type MediaKind } from '../messaging/media/media-kinds';
import { MAX_SENDS_IN_FLIGHT } from '../../whatsapp/send/send-queue';
import { PUSH_NAME_MAX } from './profile.service';

export interface LimitsAnswer {
  /** Largest media file accepted per kind, in bytes (WhatsApp's limit for the kind, capped by WAGO_MEDIA_MAX_BYTES). */
  MediaMaxBytes: Record<MediaKind, number>;
  /** WAGO_MEDIA_MAX_BYTES: the configured cap for any media file. */
  ConfiguredMediaMaxBytes: number;
  /** Largest request body accepted, in bytes (WAGO_MAX_BODY_BYTES). */
  BodyMaxBytes: number;
  /** Sends of this session prepared at once (more are queued, none refused). */
  SendsInFlight: number;
  /** Sends per second WaGo allows: null, WaGo sets no rate limit (WhatsApp's own limits apply). */
  SendRatePerSecond: null;
  /** Longest push name (POST /user/name). */
  PushNameMaxLength: number;
}

/** What WaGo enforces for a session, read from the values the code checks against. */
export function limits(): LimitsAnswer {
  const config = getRuntime().config;
  return {
    MediaMaxBytes: Object.fromEntries(MEDIA_KINDS.map((kind) => [kind, maxBytesFor(kind, config.WAGO_MEDIA_MAX_BYTES)])) as Record<MediaKind, number>,
    ConfiguredMediaMaxBytes: config.WAGO_MEDIA_MAX_BYTES,
    BodyMaxBytes: config.WAGO_MAX_BODY_BYTES,
    SendsInFlight: MAX_SENDS_IN_FLIGHT,
    SendRatePerSecond: null,
    PushNameMaxLength: PUSH_NAME_MAX,
  };
}

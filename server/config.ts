import { z } from 'zod';
import { parseAllowList } from './http/allow-list';
import { parseRateLimit, RATE_LIMIT_FORMAT } from './lib/rate-limit/rate-spec';

/** Environment variables WaGo reads, validated once at start. */
const booleanFlag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const rateLimit = z.string().transform((value, ctx) => {
  const spec = parseRateLimit(value);
  if (spec === undefined) {
    ctx.addIssue({ code: 'custom', message: `must be ${RATE_LIMIT_FORMAT}` });
    return z.NEVER;
  }
  return spec;
});

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(1337),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  /** With it, socket.io uses the Redis adapter so events reach clients connected to any WaGo process. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  WAGO_DATA_DIR: z.string().min(1).default('./data'),
  WAGO_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  WAGO_ENCRYPTION_KEY: z
    .string()
    .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, 'must be 32 bytes as 64 hex characters or base64')
    .optional(),
  WAGO_PUBLIC_URL: z.url().optional(),
  /** Dashboard: e-mail of the first admin account, created at the first start. */
  WAGO_ADMIN_EMAIL: z.email('must be an e-mail address').default('admin@wago.local'),
  /** Dashboard: password of the first admin account (generated and printed once when unset). */
  WAGO_ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  /** Dashboard: secret that signs and encrypts sign-in cookies (derived from the encryption key when unset). */
  WAGO_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Trust X-Forwarded-Host/-Proto from a reverse proxy in front of WaGo (off: taken from the connection). */
  WAGO_TRUST_PROXY: booleanFlag.default(false),
  WAGO_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(32 * 1024 * 1024),
  WAGO_DISABLE_NEXT: booleanFlag.default(false),
  /** Addresses and CIDR ranges (comma-separated) that may read GET /metrics without the admin token. */
  WAGO_METRICS_ALLOW: z
    .string()
    .optional()
    .superRefine((value, ctx) => {
      try {
        parseAllowList(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
      }
    }),
  WAGO_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  WAGO_WA_WS_URL: z.string().regex(/^wss?:\/\//, 'must be a ws:// or wss:// URL').optional(),
  WAGO_WA_ROOT_KEY: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters (a 32-byte public key)').optional(),
  /** CA certificate (PEM text, or a path to a PEM file) trusted for media upload hosts, e.g. an emulator's. */
  WAGO_WA_MEDIA_CA: z.string().min(1).optional(),
  /** Largest media file accepted for sending (bytes). */
  WAGO_MEDIA_MAX_BYTES: z.coerce.number().int().min(1024).default(64 * 1024 * 1024),
  /** Allow media URLs that resolve to private, loopback or link-local addresses (off: SSRF protection). */
  WAGO_MEDIA_ALLOW_PRIVATE_URLS: booleanFlag.default(false),
  /** Days messages are kept in the message store (0 = forever). */
  WAGO_MESSAGE_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
  /** Days events are kept in the event log behind the dashboard's event history (0 = no event log). */
  WAGO_EVENT_LOG_DAYS: z.coerce.number().int().min(0).max(3650).default(7),
  /** Newest events kept per session in the event log (older ones are deleted hourly). */
  WAGO_EVENT_LOG_MAX_PER_SESSION: z.coerce.number().int().min(100).max(10_000_000).default(10_000),
  /** How long Baileys waits for each further QR (ms); default: WhatsApp's own timing. */
  WAGO_QR_TIMEOUT_MS: z.coerce.number().int().min(500).optional(),
  /** How long WhatsApp may take to answer a new connection (handshake and login) before WaGo retries. */
  WAGO_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(20_000),
  /** Folder of the audio files calls may play (`/call/play`, `/call/make`'s AudioFile); default <WAGO_DATA_DIR>/call-media. */
  WAGO_CALL_MEDIA_DIR: z.string().min(1).optional(),
  /** Folder of call recordings (one sub-folder per session); default <WAGO_DATA_DIR>/call-recordings. */
  WAGO_CALL_RECORDINGS_DIR: z.string().min(1).optional(),
  /** Media leg of calls: `auto` (the emulator's WebRTC leg when WAGO_WA_WS_URL is set, else none) or `none` (no audio path, as with the real WhatsApp). */
  WAGO_CALL_MEDIA_LEG: z.enum(['auto', 'none']).default('auto'),
  /** STUN servers for the browser's call audio (comma-separated stun: URLs); none by default (same network). */
  WAGO_CALL_STUN_URLS: z.string().optional(),
  /** TURN servers for the browser's call audio (comma-separated turn: URLs) and their credentials. */
  WAGO_CALL_TURN_URLS: z.string().optional(),
  WAGO_CALL_TURN_USERNAME: z.string().optional(),
  WAGO_CALL_TURN_CREDENTIAL: z.string().optional(),
  WAGO_SANDBOX: booleanFlag.default(false),
  /** Port of the sandbox's WhatsApp emulator (0 = any free port). */
  WAGO_SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** URL other WaGo processes on the same database use to reach this one. */
  WAGO_INTERNAL_URL: z.url().optional(),
  /** This process's id in the session lease table (default: kept in WAGO_DATA_DIR/instance.json, so a restart resumes its own sessions at once). */
  WAGO_INSTANCE_ID: z.string().regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be 1 to 100 letters, digits or . _ : -').optional(),
  WAGO_LEASE_TTL_MS: z.coerce.number().int().min(1000).max(300_000).default(15_000),
  WAGO_RESTORE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  WAGO_RECONNECT_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(12),
  /** Longest stretch (ms) of deferrable work (relaying messages, starting REST requests) per turn of the event loop during a burst. */
  /** How long a number WhatsApp did not know is remembered before a send to it asks WhatsApp again (ms). */
  WAGO_RECIPIENT_UNKNOWN_TTL_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  WAGO_SEND_SLICE_MS: z.coerce.number().int().min(1).max(1000).default(10),
  WAGO_WEBHOOK_MAX_AGE_SECONDS: z.coerce.number().int().min(10).default(24 * 3600),
  WAGO_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  WAGO_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(16),
  WAGO_WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(0).default(7),
  /** Days each delivery attempt (answer code, body excerpt, timing) is kept for the inspector. */
  WAGO_WEBHOOK_ATTEMPTS_RETENTION_DAYS: z.coerce.number().int().min(0).default(7),
  WAGO_SOURCE_MAPS: booleanFlag.default(false),
  /** Per session token: "<requests per second>/<burst>" (e.g. 50/100); 0 = no limit. */
  WAGO_RATE_LIMIT_SESSION: rateLimit.default({ rate: 50, burst: 100 }),
  /** Per admin credential (the admin token, an API key): "<requests per second>/<burst>"; 0 = no limit. */
  WAGO_RATE_LIMIT_ADMIN: rateLimit.default({ rate: 50, burst: 100 }),
  /** Per signed-in dashboard account (its tRPC calls): "<requests per second>/<burst>"; 0 = no limit. */
  WAGO_RATE_LIMIT_DASHBOARD: rateLimit.default({ rate: 20, burst: 60 }),
  /** Where rate-limit state lives: auto (Redis with REDIS_URL, memory with the embedded database, else PostgreSQL), memory, postgres or redis. */
  WAGO_RATE_LIMIT_STORE: z.enum(['auto', 'memory', 'postgres', 'redis']).default('auto'),
  /** Days audit-log entries are kept (0 = forever). */
  WAGO_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(0).default(90),
  /** A JSON release feed GET /server/update reads (see docs/labels-channels-bots.md); unset: no update check. */
  WAGO_UPDATE_FEED_URL: z.url().regex(/^https?:\/\//, 'must be an http(s) URL').optional(),
  /** The build this installation runs (e.g. a commit hash), set by whoever builds it; reported by /server/license. */
  WAGO_BUILD: z.string().min(1).max(200).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.enum(['production', 'development', 'test']).default('production'),
});

export type Config = z.infer<typeof configSchema>;

/** The names of every environment variable WaGo reads. */
export const CONFIG_NAMES: readonly string[] = Object.keys(configSchema.shape);

export class ConfigError extends Error {}

/** Parses the environment; throws ConfigError with one line naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned: Record<string, string> = {};
  for (const key of CONFIG_NAMES) {
    const value = env[key];
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'config');
    throw new ConfigError(`Invalid configuration: ${name} ${issue.message.replace(/^Invalid input: /, '')}`);
  }
  return parsed.data;
}

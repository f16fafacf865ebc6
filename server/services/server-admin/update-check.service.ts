import { getRuntime } from '../../runtime/registry';

/**
 * GET /server/update: the running version and, with WAGO_UPDATE_FEED_URL set, whether the release
 * feed names a newer one. Read-only: it never downloads or installs anything.
 *
 * The feed is a JSON document: `{ "version": "1.2.3", "url"?: string, "notes"?: string,
 * "publishedAt"?: string }` — the newest release. A feed that cannot be fetched or read is said so.
 */
export interface UpdateAnswer {
  CurrentVersion: string;
  /** `not-configured`, `unreachable` (fetch failed or the feed is unreadable), `up-to-date` or `update-available`. */
  Status: 'not-configured' | 'unreachable' | 'up-to-date' | 'update-available';
  UpdateAvailable: boolean | null;
  FeedUrl: string | null;
  LatestVersion: string | null;
  ReleaseUrl: string | null;
  Notes: string | null;
  PublishedAt: string | null;
  CheckedAt: string;
  Details: string;
}

export const UPDATE_FEED_TIMEOUT_MS = 5000;
const MAX_FEED_BYTES = 64 * 1024;

interface Feed {
  version: string;
  url?: string;
  notes?: string;
  publishedAt?: string;
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Semantic-version order: <0 when a is older than b. A pre-release sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const x = SEMVER.exec(a);
  const y = SEMVER.exec(b);
  if (!x || !y) throw new Error(`not a semantic version: ${x ? b : a}`);
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d) return d;
  }
  const [pa, pb] = [x[4], y[4]];
  if (pa === pb) return 0;
  if (pa === undefined) return 1;
  if (pb === undefined) return -1;
  const sa = pa.split('.');
  const sb = pb.split('.');
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const [ea, eb] = [sa[i], sb[i]];
    if (ea === undefined) return -1;
    if (eb === undefined) return 1;
    const [na, nb] = [/^\d+$/.test(ea) ? Number(ea) : NaN, /^\d+$/.test(eb) ? Number(eb) : NaN];
    if (!Number.isNaN(na) && !Number.isNaN(nb)) {
      if (na !== nb) return na - nb;
    } else if (ea !== eb) return ea < eb ? -1 : 1;
  }
  return 0;
}

const optionalString = (v: unknown, max = 2000) => (typeof v === 'string' && v.length <= max ? v : undefined);

function parseFeed(text: string): Feed {
  const json: unknown = JSON.parse(text);
  if (typeof json !== 'object' || json === null) throw new Error('the feed is not a JSON object');
  const record = json as Record<string, unknown>;
  const version = record.version;
  if (typeof version !== 'string' || !SEMVER.test(version)) throw new Error('the feed has no semantic "version"');
  return { version, url: optionalString(record.url), notes: optionalString(record.notes, 10_000), publishedAt: optionalString(record.publishedAt, 64) };
}

async function readFeed(url: string): Promise<Feed> {
  const res = await fetch(url, { signal: AbortSignal.timeout(UPDATE_FEED_TIMEOUT_MS), headers: { accept: 'application/json' }, redirect: 'follow' });
  if (!res.ok) throw new Error(`the feed answered HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > MAX_FEED_BYTES) throw new Error('the feed is larger than 64 KiB');
  return parseFeed(text);
}

function failure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === 'TimeoutError') return `no answer within ${UPDATE_FEED_TIMEOUT_MS} ms`;
  const cause = error.cause instanceof Error ? ((error.cause as Error & { code?: string }).code ?? error.cause.message) : undefined;
  return cause ? `${error.message} (${cause})` : error.message;
}

export async function checkForUpdate(): Promise<UpdateAnswer> {
  const runtime = getRuntime();
  const current = runtime.version;
  const feedUrl = runtime.config.WAGO_UPDATE_FEED_URL ?? null;
  const base = { CurrentVersion: current, FeedUrl: feedUrl, LatestVersion: null, ReleaseUrl: null, Notes: null, PublishedAt: null, CheckedAt: new Date().toISOString() };
  if (!feedUrl) {
    return { ...base, Status: 'not-configured', UpdateAvailable: null, Details: `Running WaGo ${current}. No update feed is configured (WAGO_UPDATE_FEED_URL), so no update check was made.` };
  }
  let feed: Feed;
  try {
    feed = await readFeed(feedUrl);
  } catch (error) {
    const reason = failure(error);
    runtime.logger.warn({ feedUrl, reason }, 'update feed unreachable');
    return { ...base, Status: 'unreachable', UpdateAvailable: null, Details: `Running WaGo ${current}. The update feed could not be read: ${reason}.` };
  }
  const newer = compareVersions(feed.version, current) > 0;
  return {
    ...base,
    Status: newer ? 'update-available' : 'up-to-date',
    UpdateAvailable: newer,
    LatestVersion: feed.version,
    ReleaseUrl: feed.url ?? null,
    Notes: feed.notes ?? null,
    PublishedAt: feed.publishedAt ?? null,
    Details: newer
      ? `WaGo ${feed.version} is available (running ${current}). Nothing was changed: update the installation yourself.`
      : `Running WaGo ${current}, the newest release the feed names (${feed.version}).`,
  };
}

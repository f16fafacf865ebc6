/** A rate limit: `rate` requests per second on average, up to `burst` at once. Null: no limit. */
export type RateSpec = { rate: number; burst: number } | null;

export const RATE_LIMIT_FORMAT = '"<requests per second>/<burst>" (e.g. 50/100), "<requests per second>" or 0 for no limit';

/** Parses "50/100", "50" (burst = the rate) or "0" (off); undefined when malformed. */
export function parseRateLimit(value: string): RateSpec | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+)\s*)?$/.exec(value);
  if (!m) return undefined;
  const rate = Number(m[1]);
  if (rate === 0) return null;
  const burst = m[2] === undefined ? Math.max(1, Math.ceil(rate)) : Number(m[2]);
  if (burst < 1 || rate > 1_000_000 || burst > 1_000_000) return undefined;
  return { rate, burst };
}

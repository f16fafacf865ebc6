/**
 * The generic cell rate algorithm (a token bucket kept as one number): each credential has a
 * theoretical arrival time (TAT). A request is let in when the TAT is at most `toleranceMs`
 * ahead of now, and then moves it `intervalMs` further. `intervalMs` = 1000 / rate,
 * `toleranceMs` = (burst − 1) × interval: a fresh bucket lets `burst` requests in at once, then
 * `rate` per second. Every store (memory, PostgreSQL, Redis) runs these same steps atomically.
 */
export interface GcraParams {
  intervalMs: number;
  toleranceMs: number;
}

export interface Decision {
  allowed: boolean;
  /** When refused: how long until one request would be let in (ms). */
  retryAfterMs: number;
}

export function gcraParams(rate: number, burst: number): GcraParams {
  const intervalMs = 1000 / rate;
  return { intervalMs, toleranceMs: (burst - 1) * intervalMs };
}

/** One step: the decision and the new TAT (unchanged when refused). */
export function gcraStep(tatMs: number | undefined, nowMs: number, { intervalMs, toleranceMs }: GcraParams): Decision & { tatMs: number } {
  const tat = Math.max(tatMs ?? nowMs, nowMs);
  if (tat - nowMs > toleranceMs) return { allowed: false, retryAfterMs: tat - nowMs - toleranceMs, tatMs: tat };
  return { allowed: true, retryAfterMs: 0, tatMs: tat + intervalMs };
}

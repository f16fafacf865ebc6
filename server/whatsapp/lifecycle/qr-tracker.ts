export interface QrSnapshot {
  code: string;
  expiresAt: string;
  /** 1 for the first QR of this attempt, then 2, 3… as WhatsApp rotates it. */
  index: number;
}

/** WhatsApp shows each linking QR for 60 s the first time, then 20 s per new reference. */
export class QrTracker {
  private snapshot: QrSnapshot | null = null;
  private count = 0;

  reset(): void {
    this.snapshot = null;
    this.count = 0;
  }

  next(code: string, now = Date.now()): QrSnapshot {
    this.count += 1;
    const ttl = this.count === 1 ? 60_000 : 20_000;
    this.snapshot = { code, expiresAt: new Date(now + ttl).toISOString(), index: this.count };
    return this.snapshot;
  }

  current(now = Date.now()): QrSnapshot | null {
    if (!this.snapshot || Date.parse(this.snapshot.expiresAt) < now) return null;
    return this.snapshot;
  }
}

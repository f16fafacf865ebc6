/**
 * A small bounded cache of token digest → session id, so that authenticating a session
 * route does not cost a database round trip on every call. It lives in the runtime
 * registry (one per process) so deleting a session anywhere invalidates it.
 */
export class TokenCache {
  private readonly entries = new Map<string, { sessionId: string; expires: number }>();

  constructor(
    private readonly ttlMs = 30_000,
    private readonly max = 10_000,
  ) {}

  get(digest: string): string | undefined {
    const entry = this.entries.get(digest);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      this.entries.delete(digest);
      return undefined;
    }
    return entry.sessionId;
  }

  set(digest: string, sessionId: string): void {
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(digest, { sessionId, expires: Date.now() + this.ttlMs });
  }

  forgetSession(sessionId: string): void {
    for (const [digest, entry] of this.entries) if (entry.sessionId === sessionId) this.entries.delete(digest);
  }

  clear(): void {
    this.entries.clear();
  }
}

export interface CachedPrincipal {
  id: string;
  name: string;
  ownerId: string | null;
}

/**
 * A small bounded cache of token digest → session, so that authenticating a session route
 * costs no database round trip. It lives in the runtime registry (one per process) so
 * deleting a session in this process invalidates it at once; other processes within the TTL.
 */
export class TokenCache {
  private readonly entries = new Map<string, { principal: CachedPrincipal; expires: number }>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly max = 10_000,
  ) {}

  get(digest: string): CachedPrincipal | undefined {
    const entry = this.entries.get(digest);
    if (!entry) return undefined;
    if (entry.expires < Date.now()) {
      this.entries.delete(digest);
      return undefined;
    }
    return entry.principal;
  }

  set(digest: string, principal: CachedPrincipal): void {
    if (this.entries.size >= this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(digest, { principal, expires: Date.now() + this.ttlMs });
  }

  forgetSession(sessionId: string): void {
    for (const [digest, entry] of this.entries) if (entry.principal.id === sessionId) this.entries.delete(digest);
  }
}

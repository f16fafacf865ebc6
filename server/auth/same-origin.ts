/**
 * Whether a browser request comes from one of our own pages: its Origin names the host it was
 * sent to. No Origin means no browser page sent it (its cookies are the caller's own), unless
 * the browser says the request crossed sites. `host` is the one the custom server vouches for
 * (X-Forwarded-Host only behind a trusted proxy).
 */
export function isSameOrigin(origin: string | null | undefined, host: string | null | undefined, fetchSite?: string | null): boolean {
  if (!origin) return fetchSite !== 'cross-site';
  try {
    return new URL(origin).host === host;
  } catch {
    return false; // "null" or garbage: not our page
  }
}

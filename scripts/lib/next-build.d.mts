/** The source fingerprint the last build was made from. */
export function sourceHash(root: string, sources?: string[]): string;
/** Runs `next build` when the dashboard was never built or its sources changed; true when it built. */
export function ensureNextBuild(root: string, options?: { force?: boolean }): boolean;

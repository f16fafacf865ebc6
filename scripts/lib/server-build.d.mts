/** The built server's entry, the module hook it starts with, and the source stamp. */
export function serverBuildPaths(root: string): { entry: string; register: string; stamp: string };
/** Whether dist/ was built from the current sources. */
export function serverBuildFresh(root: string): boolean;
/** Builds dist/ when missing or stale (or always with force); true when it built. */
export function ensureServerBuild(root: string, options?: { force?: boolean; quiet?: boolean }): Promise<boolean>;

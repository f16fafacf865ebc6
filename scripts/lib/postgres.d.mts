export interface FoundPostgres {
  url: string;
  source: string;
  stop(): Promise<void>;
}
export function findPostgres(opts?: { log?: (line: string) => void }): Promise<FoundPostgres>;
export function createDatabase(
  maintenanceUrl: string,
  prefix?: string,
): Promise<{ name: string; url: string; drop(): Promise<void> }>;

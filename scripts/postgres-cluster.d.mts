export type PostgresCluster = { url: string; port: number; dir: string; stop: () => void; serverLog: () => string };
export function findPostgresBin(): string | null;
export function ensurePostgresInstalled(log?: (line: string) => void): boolean;
export function startPostgresCluster(options?: { port?: number; log?: (line: string) => void }): Promise<PostgresCluster>;

export type PostgresCluster = {
  url: string;
  port: number;
  dir: string;
  /** Stops the server and deletes its files. */
  stop: () => void;
  /** Stops the server, keeping its data (an outage). */
  pause: () => void;
  /** Starts it again after `pause`, same port and data. */
  resume: () => void;
  serverLog: () => string;
};
export function findPostgresBin(): string | null;
export function ensurePostgresInstalled(log?: (line: string) => void): boolean;
export function startPostgresCluster(options?: { port?: number; log?: (line: string) => void }): Promise<PostgresCluster>;

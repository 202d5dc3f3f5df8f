/** What every Parley process started for end-to-end tests runs with (config and specs share it). */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_SECRET = "e2e-secret-for-tests-only-0123456789abcdef";
/** Administers every e2e server (besides the first registered user): notifications.spec announces as it. */
export const E2E_ADMIN_EMAIL = "admin@example.test";

/** A missed call in calls.spec waits this long instead of the 30 s default. */
export const E2E_CALL_RING_TIMEOUT_MS = 5_000;

export function e2eServerEnv(dataDir: string): Record<string, string> {
  return { NODE_ENV: "production", HOST: "127.0.0.1", DATA_DIR: dataDir, AUTH_SECRET: E2E_SECRET, LOG_LEVEL: "warn", AUTH_ATTEMPTS_PER_MINUTE: "1000", ADMIN_EMAILS: E2E_ADMIN_EMAIL, CALL_RING_TIMEOUT_MS: String(E2E_CALL_RING_TIMEOUT_MS) };
}

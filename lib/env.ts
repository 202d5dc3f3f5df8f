/**
 * Server configuration, validated once with zod. Node-only: server.ts, route handlers, RSC.
 * A wrong or missing variable stops the process with a message naming it.
 * Empty strings count as unset (`FOO=` in a .env file means "not set").
 */
import { z } from "zod";

const originList = z
  .string()
  .transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean))
  // http(s) only: any other scheme (or a missing one, "localhost:3000") has the opaque origin "null".
  .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin)));

/** One RTCIceServer as configured: `urls` may be one URL or several. */
const iceServerSchema = z
  .object({
    urls: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).transform((urls) => (Array.isArray(urls) ? urls : [urls])),
    username: z.string().min(1).optional(),
    credential: z.string().min(1).optional(),
  })
  .strict()
  .refine((server) => server.urls.every((url) => /^(stun|stuns|turn|turns):/.test(url)), "every url must start with stun:, stuns:, turn: or turns:");

const iceServerList = z
  .string()
  .transform((value, ctx) => {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: "custom", message: "must be a JSON array of {urls, username?, credential?}" });
      return z.NEVER;
    }
  })
  .pipe(z.array(iceServerSchema).max(10));

const turnUrlList = z
  .string()
  .transform((value) => value.split(",").map((item) => item.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^turns?:/, "must start with turn: or turns:")).min(1));

const emailList = z
  .string()
  .transform((value) => value.split(",").map((item) => item.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.email()));

export const serverEnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  HOST: z.string().min(1).default("localhost"),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  DATA_DIR: z.string().min(1).default("./data"),
  /** `file:` (SQLite, the embedded default) or `postgresql://` / `postgres://` (PostgreSQL). */
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, "must be a file: URL (the embedded SQLite database) or a postgresql:// URL")
    .optional(),
  /** Scale-out: Socket.IO's Redis Streams adapter and every piece of shared realtime state live in this Redis. Unset: one process, in memory. */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  AUTH_SECRET_FILE: z.string().min(1).optional(),
  NEXTAUTH_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Extra browser origins allowed to open a socket (comma-separated), e.g. a preview deploy. */
  ALLOWED_ORIGINS: originList.optional(),
  /** Where browsers should open the realtime socket when the UI is served from elsewhere. */
  SOCKET_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Behind a reverse proxy that sets X-Forwarded-For: trust it for client IPs (rate limits). */
  TRUST_PROXY: z.enum(["0", "1", "true", "false"]).default("0").transform((value) => value === "1" || value === "true"),
  SOCKET_TOKEN_TTL_SECONDS: z.coerce.number().int().min(5).max(3_600).default(300),
  RATE_LIMIT_PER_SECOND: z.coerce.number().int().min(1).max(10_000).default(20),
  /** Sockets one user may hold at once, on all processes together (tabs, devices); one more is refused at the handshake (TOO_MANY_CONNECTIONS). */
  MAX_SOCKETS_PER_USER: z.coerce.number().int().min(1).max(1_000).default(20),
  /** Exact-email searches per user: enough to find friends, too few to test a list of addresses (see email-lookup-limit.ts). */
  EMAIL_LOOKUPS_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(60),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(8_000),
  /** Graceful restart: how long requests already sent are still served after `system:restarting` (then in-flight acks are awaited). */
  SHUTDOWN_NOTICE_MS: z.coerce.number().int().min(0).max(30_000).default(1_000),
  /** `/metrics` needs `Authorization: Bearer <token>` when set; without it only loopback (and no proxy header) may read it. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** How long a user with no socket left still counts as online (reloads, brief network blips). */
  PRESENCE_OFFLINE_GRACE_MS: z.coerce.number().int().min(0).max(300_000).default(5_000),
  /** A call nobody answers ends as missed after this long. */
  CALL_RING_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
  /** How long a call waits for a participant whose socket dropped to come back (call:current). */
  CALL_RECONNECT_GRACE_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
  /** STUN/TURN servers handed to browsers as they are (JSON array of RTCIceServer). */
  ICE_SERVERS: iceServerList.optional(),
  /** TURN servers with time-limited credentials (TURN REST: HMAC-SHA1 of "<expiry>:<userId>" under TURN_SECRET). */
  TURN_URLS: turnUrlList.optional(),
  TURN_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /** Match: after waiting this long, any mood is acceptable (the language still has to match). */
  MATCH_RELAX_AFTER_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  /** Match calls use TURN relays only (iceTransportPolicy "relay"): neither side learns the other's IP. Needs TURN_URLS. */
  MATCH_RELAY_ONLY: z.enum(["0", "1", "true", "false"]).default("0").transform((value) => value === "1" || value === "true"),
  /** Accounts with these emails (comma-separated) are administrators too, besides the first registered one. */
  ADMIN_EMAILS: emailList.optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type ServerEnv = z.infer<typeof serverEnvSchema> & { DATABASE_URL: string };

export class EnvError extends Error {
  constructor(readonly variables: string[], detail: string) {
    super(`Invalid environment: ${detail}`);
    this.name = "EnvError";
  }
}

export function parseServerEnv(source: NodeJS.ProcessEnv = process.env): ServerEnv {
  const raw = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ""));
  const result = serverEnvSchema.safeParse(raw);
  if (!result.success) {
    const variables = [...new Set(result.error.issues.map((issue) => String(issue.path[0] ?? "?")))];
    const detail = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new EnvError(variables, detail);
  }
  const data = result.data;
  // Time-limited TURN credentials need both halves; one without the other is a configuration mistake.
  if (Boolean(data.TURN_URLS) !== Boolean(data.TURN_SECRET)) {
    const missing = data.TURN_URLS ? "TURN_SECRET" : "TURN_URLS";
    throw new EnvError([missing], `${missing}: required when ${missing === "TURN_SECRET" ? "TURN_URLS" : "TURN_SECRET"} is set`);
  }
  if (data.MATCH_RELAY_ONLY && !data.TURN_URLS && !data.ICE_SERVERS?.some((server) => server.urls.some((url) => /^turns?:/.test(url)))) {
    throw new EnvError(["MATCH_RELAY_ONLY"], "MATCH_RELAY_ONLY: needs a TURN server (TURN_URLS and TURN_SECRET, or a turn: URL in ICE_SERVERS)");
  }
  return { ...data, DATABASE_URL: data.DATABASE_URL ?? `file:${data.DATA_DIR.replace(/\/$/, "")}/parley.db` };
}

let cached: ServerEnv | null = null;
/** Parsed lazily so `next build` can import modules without a runtime environment. */
export function getServerEnv(): ServerEnv {
  cached ??= parseServerEnv();
  return cached;
}

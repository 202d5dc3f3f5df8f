/**
 * The limits and enumerations of the one contract, without zod: protocol.ts (and its domain parts)
 * re-export everything here, and browser code imports these values from this module directly, so
 * the payload schemas and zod stay out of the pages' JavaScript (bench:pages). Types and constants
 * only; it imports nothing.
 */

// ── Errors ───────────────────────────────────────────────────────────────────
export const REALTIME_ERROR_CODES = [
  "INVALID_PAYLOAD",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "PAYLOAD_TOO_LARGE",
  "TIMEOUT",
  "UNAVAILABLE",
  "INTERNAL",
] as const;
export type RealtimeErrorCode = (typeof REALTIME_ERROR_CODES)[number];

/**
 * Reasons carried by `connect_error` from the handshake middleware (`error.message`). A foreign
 * Origin is refused earlier, at the transport (HTTP 400/403), and never reaches the middleware.
 * RECOVERY_REFUSED: the recovered session belongs to someone else; the session is spent, so a
 * plain retry connects fresh. TOO_MANY_CONNECTIONS: the user already holds MAX_SOCKETS_PER_USER
 * sockets (`err.data` is `{ code, message }`); a retry succeeds only once one of them closes.
 */
export const CONNECT_ERROR_CODES = ["UNAUTHORIZED", "UNAVAILABLE", "RECOVERY_REFUSED", "TOO_MANY_CONNECTIONS"] as const;
export type ConnectErrorCode = (typeof CONNECT_ERROR_CODES)[number];

/** Largest Socket.IO frame the server accepts; files go over HTTP. */
export const MAX_FRAME_BYTES = 64 * 1024;

// ── Chat: limits ─────────────────────────────────────────────────────────────
export const MESSAGE_MAX_LENGTH = 4_000;
export const GROUP_NAME_MAX_LENGTH = 80;
/** A room of 1,000 is a performance target (docs/PERFORMANCE.md); a create or add of 999 ids is ~27 KB, under the 64 KB frame. */
export const GROUP_MAX_MEMBERS = 1_000;
export const HISTORY_PAGE_SIZE = 50;
export const SEARCH_PAGE_SIZE = 20;
export const USER_SEARCH_PAGE_SIZE = 20;
export const MAX_ATTACHMENTS_PER_MESSAGE = 10;
/** Typing: at most one emit per TYPING_THROTTLE_MS; an indicator expires TYPING_EXPIRE_MS after the last one. */
export const TYPING_THROTTLE_MS = 2_000;
export const TYPING_EXPIRE_MS = 3_000;
/** The quick reactions offered in the UI; any single emoji is accepted. */
export const QUICK_REACTIONS = ["👍", "❤️", "😂", "🎉", "😮", "😢"] as const;

// ── Presence ─────────────────────────────────────────────────────────────────
export const PRESENCE_TEXT_MAX_LENGTH = 80;
/** "auto" follows activity (online/away); "invisible" looks offline to everyone else. */
export const PRESENCE_MODES = ["auto", "dnd", "invisible"] as const;
export type PresenceMode = (typeof PRESENCE_MODES)[number];

// ── Match ────────────────────────────────────────────────────────────────────
/** Stands for the other participant of a match call wherever a user id would be. */
export const MATCH_PEER_ID = "match-peer";

export const MATCH_MOODS = ["chill", "happy", "playful", "curious", "thoughtful", "venting"] as const;
export type MatchMood = (typeof MATCH_MOODS)[number];
export const MATCH_MOOD_LABELS: Record<MatchMood, string> = {
  chill: "Chill",
  happy: "Happy",
  playful: "Playful",
  curious: "Curious",
  thoughtful: "Thoughtful",
  venting: "Need to vent",
};
/**
 * Moods that go well together (symmetric; a mood always goes with itself). Before the wait relaxes
 * preferences, only compatible moods are paired. "venting", "happy" and "curious" are pairwise
 * incompatible on purpose (tests rely on three such moods).
 */
export const MATCH_MOOD_COMPANIONS: Record<MatchMood, readonly MatchMood[]> = {
  chill: ["happy", "thoughtful"],
  happy: ["chill", "playful"],
  playful: ["happy", "curious"],
  curious: ["playful", "thoughtful"],
  thoughtful: ["chill", "curious", "venting"],
  venting: ["thoughtful"],
};

/** ISO 639-1 codes offered on the Match page; a match needs the same language on both sides. */
export const MATCH_LANGUAGES = ["en", "es", "fr", "de", "it", "pt", "nl", "pl", "tr", "ru", "uk", "ar", "hi", "ja", "ko", "zh", "id", "vi", "sv"] as const;
export type MatchLanguage = (typeof MATCH_LANGUAGES)[number];

export const MATCH_TOPIC_MAX_LENGTH = 60;
export const MATCH_FEEDBACK_MAX_LENGTH = 500;
export const MATCH_REPORT_DETAILS_MAX_LENGTH = 1_000;
export const MATCH_REPORT_REASONS = ["harassment", "hate", "sexual", "spam", "underage", "other"] as const;
export type MatchReportReason = (typeof MATCH_REPORT_REASONS)[number];
export const MATCH_REPORTS_PAGE_SIZE = 50;

// ── Notifications ────────────────────────────────────────────────────────────
export const NOTIFICATION_KINDS = [
  "message",
  "mention",
  "reply",
  "reaction",
  "friend_request",
  "friend_accepted",
  "added_to_group",
  "missed_call",
  "announcement",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_PAGE_SIZE = 20;
/** Largest batch of ids one mark/delete request may carry; more is INVALID_PAYLOAD. */
export const NOTIFICATION_MAX_IDS = 200;
export const ANNOUNCEMENT_MAX_LENGTH = 1_000;

// ── Admin ────────────────────────────────────────────────────────────────────
/** How often the admin dashboard asks for fresh counts. */
export const ADMIN_STATS_POLL_MS = 3_000;
/** How long the answering process waits for the others' counts. */
export const ADMIN_PEER_TIMEOUT_MS = 1_500;

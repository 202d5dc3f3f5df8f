/**
 * Who may act in a conversation, cached so the send path authorizes without a query. Each process
 * keeps its own copy; with several processes (scale-out) an invalidation also reaches the others
 * through the peer notifier (membership-invalidation.ts, Redis pub/sub).
 * Every membership or block change must call `invalidate` after its transaction commits.
 */
import { dbReady } from "@/lib/db";
import { allDirect } from "@/lib/db/direct-sqlite";
import { AppError } from "@/lib/errors";
import { exposeCount } from "@/lib/ops/debug-counts";

export type MemberRole = "admin" | "member";

export type ConversationAccess = {
  kind: "direct" | "group";
  roles: ReadonlyMap<string, MemberRole>;
  memberIds: ReadonlySet<string>;
  /** Direct chats only: one of the two has blocked the other, so nobody may post there. */
  isBlocked: boolean;
};

export type MembershipCache = {
  /** Null when the conversation does not exist. */
  get: (conversationId: string) => Promise<ConversationAccess | null>;
  /** Drops the entry here and, when connected (`setPeerNotifier`), in every other process. */
  invalidate: (conversationId: string) => void;
  /** Drops the entry in this process only: what another process's invalidation does here. */
  forget: (conversationId: string) => void;
  /** Drops every entry in this process (invalidations may have been missed, e.g. while Redis was away). */
  clear: () => void;
  /** Scale-out: every `invalidate` is also handed to this (null: this process only). */
  setPeerNotifier: (notify: ((conversationId: string) => void) | null) => void;
};

export const MEMBERSHIP_CACHE_MAX_CONVERSATIONS = 10_000;

type AccessRow = { kind: string; userId: string | null; role: string | null };

/** One row per member (one with NULL if there are none), on SQLite's own connection (lib/db/direct-sqlite.ts). */
const ACCESS_SQLITE = `SELECT c."kind" AS "kind", m."userId" AS "userId", m."role" AS "role"
  FROM "Conversation" AS c LEFT JOIN "Membership" AS m ON m."conversationId" = c."id" WHERE c."id" = @conversationId`;
const BLOCKED_SQLITE = `SELECT 1 AS "blocked" FROM "Block"
  WHERE ("blockerId" = @a AND "blockedId" = @b) OR ("blockerId" = @b AND "blockedId" = @a) LIMIT 1`;

/**
 * The first send to each conversation loads this, so right after a start every conversation's
 * first message waited for it: through Prisma, two or three queries of ~0.3 ms each, and a
 * hundred busy conversations held the main thread ~60 ms in the first sends' moment
 * (docs/PERFORMANCE.md, the 1,000-user tail). On SQLite they are prepared statements.
 */
async function loadAccessRows(conversationId: string): Promise<{ kind: string; members: { userId: string; role: string }[] } | null> {
  const direct = await allDirect<AccessRow>(ACCESS_SQLITE, { conversationId });
  if (direct) {
    const first = direct[0];
    if (!first) return null;
    return { kind: first.kind, members: direct.flatMap((row) => (row.userId && row.role ? [{ userId: row.userId, role: row.role }] : [])) };
  }
  const db = await dbReady();
  const conversation = await db.conversation.findUnique({
    where: { id: conversationId },
    select: { kind: true, memberships: { select: { userId: true, role: true } } },
  });
  return conversation && { kind: conversation.kind, members: conversation.memberships };
}

async function isBlockedBetween(a: string, b: string): Promise<boolean> {
  const direct = await allDirect<{ blocked: number }>(BLOCKED_SQLITE, { a, b });
  if (direct) return direct.length > 0;
  const db = await dbReady();
  return (await db.block.count({ where: { OR: [{ blockerId: a, blockedId: b }, { blockerId: b, blockedId: a }] } })) > 0;
}

async function loadAccess(conversationId: string): Promise<ConversationAccess | null> {
  const conversation = await loadAccessRows(conversationId);
  if (!conversation) return null;
  const roles = new Map<string, MemberRole>(conversation.members.map((membership) => [membership.userId, membership.role === "admin" ? "admin" : "member"]));
  const kind = conversation.kind === "group" ? "group" : "direct";
  const [a, b] = [...roles.keys()];
  const isBlocked = kind === "direct" && a !== undefined && b !== undefined && (await isBlockedBetween(a, b));
  return { kind, roles, memberIds: new Set(roles.keys()), isBlocked };
}

/** LRU over a Map (insertion order = recency). Loads are shared while in flight. */
export function createMemoryMembershipCache(options: { maxConversations?: number; load?: typeof loadAccess } = {}): MembershipCache {
  const max = options.maxConversations ?? MEMBERSHIP_CACHE_MAX_CONVERSATIONS;
  const load = options.load ?? loadAccess;
  const entries = new Map<string, ConversationAccess>();
  const inflight = new Map<string, Promise<ConversationAccess | null>>();
  exposeCount("membership.conversations", () => entries.size + inflight.size);

  let notifyPeers: ((conversationId: string) => void) | null = null;
  const forget = (conversationId: string) => {
    entries.delete(conversationId);
    inflight.delete(conversationId);
  };

  const remember = (conversationId: string, access: ConversationAccess) => {
    entries.set(conversationId, access);
    while (entries.size > max) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  };

  return {
    async get(conversationId) {
      const cached = entries.get(conversationId);
      if (cached) {
        entries.delete(conversationId);
        entries.set(conversationId, cached);
        return cached;
      }
      const pending = inflight.get(conversationId);
      if (pending) return pending;
      const loading = load(conversationId).then(
        (access) => {
          // An invalidation while loading dropped this promise: its result may be stale, keep it out.
          if (inflight.get(conversationId) === loading) {
            inflight.delete(conversationId);
            if (access) remember(conversationId, access);
          }
          return access;
        },
        (error: unknown) => {
          if (inflight.get(conversationId) === loading) inflight.delete(conversationId);
          throw error;
        },
      );
      inflight.set(conversationId, loading);
      return loading;
    },
    invalidate(conversationId) {
      forget(conversationId);
      notifyPeers?.(conversationId);
    },
    forget,
    clear() {
      entries.clear();
      inflight.clear();
    },
    setPeerNotifier(notify) {
      notifyPeers = notify;
    },
  };
}

// One per process, shared by server.ts and Next's separately bundled route handlers.
const slot = globalThis as unknown as { __parleyMembershipCache?: MembershipCache };

export function getMembershipCache(): MembershipCache {
  slot.__parleyMembershipCache ??= createMemoryMembershipCache();
  return slot.__parleyMembershipCache;
}

/** The caller's access to a conversation; "no such conversation" and "not yours" look the same. */
export async function requireMember(conversationId: string, userId: string): Promise<ConversationAccess> {
  const access = await getMembershipCache().get(conversationId);
  if (!access?.memberIds.has(userId)) throw new AppError("NOT_FOUND", { userMessage: "That conversation was not found." });
  return access;
}

export async function requireAdmin(conversationId: string, userId: string): Promise<ConversationAccess> {
  const access = await requireMember(conversationId, userId);
  if (access.kind !== "group") throw new AppError("FORBIDDEN", { userMessage: "Direct chats have no admins." });
  if (access.roles.get(userId) !== "admin") throw new AppError("FORBIDDEN", { userMessage: "Only group admins can do that." });
  return access;
}

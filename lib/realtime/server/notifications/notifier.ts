/**
 * Sources → notifications. Each source picks its recipients (never the actor; nobody who muted the
 * conversation, switched the kind off, blocked the actor, or is looking at the conversation right
 * now), stores one row per recipient, DELIVERY_CHUNK recipients per statement, and emits `notification:upserted` to each
 * recipient's user room. Everything here runs after the request was answered (`notifyLater`), so
 * no source gets slower; failures are logged, the source's own effect stands.
 */
import { exposeCount } from "@/lib/ops/debug-counts";
import type { CallDto, FriendRequestDto, MessageDto, PublicUserDto } from "@/lib/realtime/protocol";
import { previewOf, toPublicUser, toUsersById } from "@/lib/services/chat-dto";
import {
  loadConversationAudience,
  loadConversationAudiences,
  loadUserRecipients,
  type NotificationDelivery,
  type NotificationDraft,
  type Recipient,
  storeNotifications,
} from "@/lib/services/notification-service";
import { userRoom } from "../rooms";
import type { AppServer, HandlerContext } from "../types";
import { burstWindow } from "./burst-window";
import { getViewingState } from "./viewing-state";

type NotifyContext = Pick<HandlerContext, "io" | "deps">;

/** The socket's user as others see them: who caused a notification. */
export const actorOf = (ctx: Pick<HandlerContext, "socket">): PublicUserDto => toPublicUser(ctx.socket.data.user);

/** After the current request has been answered; errors are logged, never thrown. */
export function notifyLater(ctx: NotifyContext, source: string, task: () => Promise<void>): void {
  setImmediate(() => {
    task().catch((error: unknown) => ctx.deps.logger.error({ err: error, source }, "could not create notifications"));
  });
}

export function emitDeliveries(io: AppServer, deliveries: readonly NotificationDelivery[]): void {
  for (const { userId, notification, unreadCount } of deliveries) {
    io.to(userRoom(userId)).emit("notification:upserted", { notification, unreadCount });
  }
}

/**
 * Recipients per statement. A burst in a room of 1,000 stored and emitted at once held the main
 * thread ~60–150 ms once a second, and every message sent meanwhile waited behind it (p99 86 ms
 * against bare Socket.IO's 26: the room-of-1,000 profile, docs/PERFORMANCE.md). Between chunks
 * the event loop serves what arrived.
 */
export const DELIVERY_CHUNK = 25;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function deliver(ctx: NotifyContext, drafts: readonly NotificationDraft[], actor: PublicUserDto | null): Promise<void> {
  for (let start = 0; start < drafts.length; start += DELIVERY_CHUNK) {
    if (start > 0) await nextTurn();
    emitDeliveries(ctx.io, await storeNotifications(drafts.slice(start, start + DELIVERY_CHUNK), actor));
  }
}

/**
 * Who among these members shows the conversation right now: one read for all of them (one Redis
 * round trip when shared). If the shared state cannot answer, nobody counts as viewing: a
 * notification too many beats a lost one.
 */
async function viewersOf(ctx: NotifyContext, members: readonly Recipient[], conversationId: string): Promise<Set<string>> {
  const candidates = [...new Set(members.filter((member) => !member.muted && !member.blocked).map((member) => member.userId))];
  if (candidates.length === 0) return new Set();
  try {
    return await getViewingState().viewersAmong(candidates, conversationId);
  } catch (error) {
    ctx.deps.logger.warn({ err: error, conversationId }, "could not tell who is viewing; notifying everyone");
    return new Set();
  }
}

/** Recipients of something that happened in a conversation: not the actor, not muted, not blocking, not looking. */
function reachable(members: readonly Recipient[], actorId: string, viewers: ReadonlySet<string>): Recipient[] {
  return members.filter((member) => member.userId !== actorId && !member.muted && !member.blocked && !viewers.has(member.userId));
}

const conversationTitle = (audience: { kind: "direct" | "group"; name: string | null }): string | null =>
  audience.kind === "group" ? (audience.name ?? "Group") : null;

/**
 * What a burst keeps of a message until its window ends (0.5–1.5 s): only what the notification
 * needs, not the whole message (its object graph would be copied by a young-generation collection
 * and promoted, at 2,000 msgs/s a share of the ~7 KB per message that is: docs/PERFORMANCE.md).
 */
type BurstMessage = { id: string; seq: number; body: string; attachmentCount: number; mentions: readonly string[]; replyToAuthorId: string | null };
type Burst = { ctx: NotifyContext; messages: { message: BurstMessage; actor: PublicUserDto }[]; timer: NodeJS.Timeout };

const burstMessage = (message: MessageDto): BurstMessage => ({
  id: message.id,
  seq: message.seq,
  body: message.body,
  attachmentCount: message.attachments.length,
  mentions: message.mentions,
  replyToAuthorId: message.replyTo?.authorId ?? null,
});
const bursts = new Map<string, Burst>();
exposeCount("notifier.bursts", () => bursts.size);

/**
 * A new message: a mention (or a reply to one's own message) replaces the message notification
 * for that person; if that kind is switched off, the plain message notification applies. Message
 * notifications coalesce per conversation while unread.
 */
export function notifyMessage(ctx: NotifyContext, message: MessageDto, actor: PublicUserDto): void {
  if (message.kind !== "text") return;
  const pending = bursts.get(message.conversationId);
  if (pending) {
    pending.messages.push({ message: burstMessage(message), actor });
    return;
  }
  const timer = setTimeout(() => {
    bursts.delete(message.conversationId);
    notifyLater(ctx, "message", () => notifyBurst(ctx, message.conversationId, burst.messages));
  }, burstWindow()).unref();
  const burst: Burst = { ctx, messages: [{ message: burstMessage(message), actor }], timer };
  bursts.set(message.conversationId, burst);
}

/** Stores the bursts still waiting for their window now (graceful shutdown: none is dropped). */
export async function flushMessageBursts(): Promise<void> {
  const pending = [...bursts];
  bursts.clear();
  await Promise.all(
    pending.map(async ([conversationId, burst]) => {
      clearTimeout(burst.timer);
      await notifyBurst(burst.ctx, conversationId, burst.messages).catch((error: unknown) =>
        burst.ctx.deps.logger.error({ err: error, source: "message" }, "could not create notifications"),
      );
    }),
  );
}

async function notifyBurst(ctx: NotifyContext, conversationId: string, messages: Burst["messages"]): Promise<void> {
  const actors = new Map(messages.map(({ actor }) => [actor.id, actor]));
  // Blocks are per author: one query answers for every author of the burst.
  const audiences = await loadConversationAudiences(conversationId, [...actors.keys()]);
  if (!audiences) return;
  const anyAudience = audiences.values().next().value;
  if (!anyAudience) return;
  const viewers = await viewersOf(ctx, anyAudience.members, conversationId);
  const names = toUsersById(anyAudience.members.map((member) => ({ id: member.userId, name: member.name })));
  const title = conversationTitle(anyAudience);
  const recipientsOf = new Map([...audiences].map(([actorId, audience]) => [actorId, reachable(audience.members, actorId, viewers)]));
  const draftOf = (message: BurstMessage) => ({
    conversationId,
    messageId: message.id,
    seq: message.seq,
    title,
    preview: previewOf(message.body, message.attachmentCount, names),
  });
  const drafts: NotificationDraft[] = [];
  /** Per recipient: the latest plain message for them, and how many there were. */
  const plain = new Map<string, { message: BurstMessage; actor: PublicUserDto; count: number }>();
  for (const { message, actor } of messages) {
    const mayBeSpecific = message.mentions.length > 0 || message.replyToAuthorId !== null;
    for (const member of recipientsOf.get(actor.id) ?? []) {
      const kind = !mayBeSpecific ? null : message.mentions.includes(member.userId) ? "mention" : message.replyToAuthorId === member.userId ? "reply" : null;
      if (kind && !member.disabled.has(kind)) drafts.push({ ...draftOf(message), userId: member.userId, kind, actor });
      else if (!member.disabled.has("message")) {
        const latest = plain.get(member.userId);
        plain.set(member.userId, { message, actor, count: (latest?.count ?? 0) + 1 });
      }
    }
  }
  // Each plain row shows its latest message and author; the preview is made once per message.
  const bases = new Map<string, ReturnType<typeof draftOf>>();
  for (const [userId, { message, actor, count }] of plain) {
    const base = bases.get(message.id) ?? draftOf(message);
    bases.set(message.id, base);
    drafts.push({ ...base, userId, kind: "message", coalesceKey: `message:${conversationId}`, count, actor });
  }
  // One statement per chunk of the burst: mentions and replies are rows of their own.
  await deliver(ctx, drafts, null);
}

/** A reaction put on someone's message: to its author, coalesced per message while unread. */
export function notifyReaction(ctx: NotifyContext, message: MessageDto, actor: PublicUserDto, emoji: string): void {
  if (message.kind !== "text" || message.authorId === actor.id) return;
  notifyLater(ctx, "reaction", async () => {
    const audience = await loadConversationAudience(message.conversationId, actor.id, [message.authorId]);
    if (!audience) return;
    const viewers = await viewersOf(ctx, audience.members, message.conversationId);
    const drafts = reachable(audience.members, actor.id, viewers)
      .filter((member) => member.userId === message.authorId && !member.disabled.has("reaction"))
      .map((member): NotificationDraft => ({
        userId: member.userId,
        kind: "reaction",
        conversationId: message.conversationId,
        messageId: message.id,
        seq: message.seq,
        title: conversationTitle(audience),
        preview: emoji,
        coalesceKey: `reaction:${message.id}`,
      }));
    await deliver(ctx, drafts, actor);
  });
}

/** People outside any conversation view: only preferences and blocks apply. */
function notifyUsers(ctx: NotifyContext, source: string, userIds: readonly string[], actor: PublicUserDto, draft: Omit<NotificationDraft, "userId">): void {
  const targets = userIds.filter((userId) => userId !== actor.id);
  if (targets.length === 0) return;
  notifyLater(ctx, source, async () => {
    const recipients = await loadUserRecipients(targets, actor.id);
    const drafts = recipients
      .filter((recipient) => !recipient.blocked && !recipient.disabled.has(draft.kind))
      .map((recipient): NotificationDraft => ({ ...draft, userId: recipient.userId }));
    await deliver(ctx, drafts, actor);
  });
}

/** A new pending request to its recipient; an accepted one to whoever asked (from the one who accepted). */
export function notifyFriendRequest(ctx: NotifyContext, request: FriendRequestDto, isNew: boolean): void {
  if (request.status === "pending" && isNew) notifyUsers(ctx, "friend_request", [request.to.id], request.from, { kind: "friend_request" });
  if (request.status === "accepted") notifyUsers(ctx, "friend_accepted", [request.from.id], request.to, { kind: "friend_accepted" });
}

/** Added to a group (at creation or later): to the added people, never to whoever added them. */
export function notifyAddedToGroup(ctx: NotifyContext, conversation: { id: string; name: string | null }, addedIds: readonly string[], actor: PublicUserDto): void {
  notifyUsers(ctx, "added_to_group", addedIds, actor, { kind: "added_to_group", conversationId: conversation.id, title: conversation.name ?? "Group" });
}

/**
 * A call the callee did not take (nobody answered, or no device was open): to the callee, from the
 * caller, pointing at the call's line in their chat. Coalesced per caller while unread ("3 missed
 * calls from Ana"). Preferences and blocks apply; a conversation mute does not (a call is not a message).
 */
export function notifyMissedCall(ctx: NotifyContext, call: CallDto, line: MessageDto | null): void {
  notifyUsers(ctx, "missed_call", [call.callee.id], call.caller, {
    kind: "missed_call",
    conversationId: call.conversationId,
    messageId: line?.id ?? null,
    seq: line?.seq ?? null,
    preview: call.kind === "video" ? "Missed video call" : "Missed audio call",
    coalesceKey: `missed_call:${call.caller.id}`,
  });
}

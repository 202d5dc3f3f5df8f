import "client-only";
import { create } from "zustand";

import type {
  ConversationDto,
  MentionEventDto,
  MessageDto,
  RealtimeError,
  ReadUpdateDto,
  TypingEventDto,
  UnreadCountsDto,
} from "@/lib/realtime/protocol";
import { advanceCursor, type CursorUpdate } from "./version-cursor";

/** A message the server has not confirmed yet; kept in the outbox (IndexedDB) until it has. */
export type OutboxEntry = {
  clientMessageId: string;
  conversationId: string;
  userId: string;
  body: string;
  replyToId?: string;
  attachmentIds?: string[];
  createdAt: number;
  status: "sending" | "failed";
  error: RealtimeError | null;
};

export type ChatState = {
  /** The signed-in user, so reducers can tell own messages from others'. */
  selfId: string | null;
  conversations: Record<string, ConversationDto>;
  isListLoaded: boolean;
  /** Sorted by seq, unique by id. */
  messagesByConversation: Record<string, MessageDto[]>;
  hasOlderByConversation: Record<string, boolean>;
  /** Per conversation, the version up to which every change was applied: what `chat:sync` resumes from (version-cursor.ts). */
  versionByConversation: Record<string, number>;
  /** Live versions received above a gap in `versionByConversation`; non-empty means a sync is due. */
  aheadByConversation: Record<string, readonly number[]>;
  /** The caller's read pointer per conversation; unread = lastSeq - readSeq. */
  readSeqByConversation: Record<string, number>;
  outbox: Record<string, OutboxEntry>;
  /** conversationId → userId → expiry (ms epoch). */
  typingByConversation: Record<string, Record<string, number>>;
  /** Newest first, bounded: mentions of the signed-in user received live. */
  mentions: MentionEventDto[];
};

export type ReceiveOptions = { hasOlder?: boolean; live?: boolean; syncedThrough?: number };

function cursorUpdate(options: ReceiveOptions | undefined, versions: number[]): CursorUpdate {
  if (options?.syncedThrough !== undefined) return { kind: "synced", through: options.syncedThrough, versions };
  return { kind: options?.live ? "live" : "page", versions };
}

export type ChatActions = {
  setSelf: (userId: string) => void;
  setConversations: (conversations: ConversationDto[]) => void;
  upsertConversation: (conversation: ConversationDto) => void;
  /** The caller's mute changed (ack or `conversation:muted` from another device). */
  setConversationMute: (mute: { conversationId: string; mutedUntil: string | null }) => void;
  removeConversation: (conversationId: string) => void;
  /**
   * History pages, sync results, acks and broadcasts all land here; duplicates and stale versions
   * are no-ops. `live` (broadcasts, acks) moves the sync cursor only over a gap-free run;
   * `syncedThrough` (a sync answer) moves it to that version; otherwise (history) to the highest seen.
   */
  receiveMessages: (conversationId: string, messages: MessageDto[], options?: ReceiveOptions) => void;
  applyReadUpdate: (event: ReadUpdateDto) => void;
  applyUnreadCounts: (event: UnreadCountsDto) => void;
  setTyping: (event: TypingEventDto, now?: number) => void;
  expireTyping: (conversationId: string, userId: string, now?: number) => void;
  recordMention: (event: MentionEventDto) => void;
  putOutbox: (entry: OutboxEntry) => void;
  removeOutbox: (clientMessageId: string) => void;
  reset: () => void;
};

export type ChatStore = ChatState & ChatActions;

export const initialChatState: ChatState = {
  selfId: null,
  conversations: {},
  isListLoaded: false,
  messagesByConversation: {},
  hasOlderByConversation: {},
  versionByConversation: {},
  aheadByConversation: {},
  readSeqByConversation: {},
  outbox: {},
  typingByConversation: {},
  mentions: [],
};

function mergeMessages(current: MessageDto[], incoming: MessageDto[]): MessageDto[] | null {
  const byId = new Map(current.map((message) => [message.id, message]));
  let changed = false;
  for (const message of incoming) {
    const existing = byId.get(message.id);
    if (existing && existing.version >= message.version) continue;
    byId.set(message.id, message);
    changed = true;
  }
  if (!changed) return null;
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}

function omit<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const { [key]: _removed, ...rest } = record;
  return rest;
}

export const useChatStore = create<ChatStore>()((set) => ({
  ...initialChatState,

  setSelf: (selfId) => set((state) => (state.selfId === selfId ? state : { selfId })),

  setConversations: (list) =>
    set((state) => {
      const conversations: Record<string, ConversationDto> = {};
      const readSeqByConversation = { ...state.readSeqByConversation };
      for (const conversation of list) {
        conversations[conversation.id] = conversation;
        readSeqByConversation[conversation.id] = Math.max(
          readSeqByConversation[conversation.id] ?? 0,
          conversation.lastSeq - conversation.unreadCount,
        );
      }
      return { conversations, readSeqByConversation, isListLoaded: true };
    }),

  setConversationMute: ({ conversationId, mutedUntil }) =>
    set((state) => {
      const conversation = state.conversations[conversationId];
      if (!conversation || conversation.mutedUntil === mutedUntil) return state;
      return { conversations: { ...state.conversations, [conversationId]: { ...conversation, mutedUntil } } };
    }),
  upsertConversation: (conversation) =>
    set((state) => ({
      conversations: { ...state.conversations, [conversation.id]: conversation },
      readSeqByConversation: {
        ...state.readSeqByConversation,
        [conversation.id]: Math.max(state.readSeqByConversation[conversation.id] ?? 0, conversation.lastSeq - conversation.unreadCount),
      },
    })),

  removeConversation: (conversationId) =>
    set((state) => ({
      conversations: omit(state.conversations, conversationId),
      messagesByConversation: omit(state.messagesByConversation, conversationId),
      hasOlderByConversation: omit(state.hasOlderByConversation, conversationId),
      versionByConversation: omit(state.versionByConversation, conversationId),
      aheadByConversation: omit(state.aheadByConversation, conversationId),
      typingByConversation: omit(state.typingByConversation, conversationId),
    })),

  receiveMessages: (conversationId, incoming, options) =>
    set((state) => {
      const current = state.messagesByConversation[conversationId] ?? [];
      const merged = incoming.length > 0 ? mergeMessages(current, incoming) : null;
      const hasOlderChanged = options?.hasOlder !== undefined && state.hasOlderByConversation[conversationId] !== options.hasOlder;
      const held = state.versionByConversation[conversationId];
      const versions = incoming.map((message) => message.version);
      const cursor = advanceCursor(held === undefined ? undefined : { version: held, ahead: state.aheadByConversation[conversationId] ?? [] }, cursorUpdate(options, versions));
      const previousAhead = state.aheadByConversation[conversationId] ?? [];
      const touchesCursor = versions.length > 0 || options?.syncedThrough !== undefined;
      const cursorChanged = touchesCursor && (cursor.version !== held || cursor.ahead.length !== previousAhead.length || cursor.ahead.some((version, index) => version !== previousAhead[index]));
      if (!merged && !hasOlderChanged && !cursorChanged) return state;

      const patch: Partial<ChatState> = {};
      if (hasOlderChanged) patch.hasOlderByConversation = { ...state.hasOlderByConversation, [conversationId]: options!.hasOlder! };
      if (cursorChanged) {
        patch.versionByConversation = { ...state.versionByConversation, [conversationId]: cursor.version };
        patch.aheadByConversation = cursor.ahead.length ? { ...state.aheadByConversation, [conversationId]: cursor.ahead } : omit(state.aheadByConversation, conversationId);
      }
      if (!merged) return patch;
      patch.messagesByConversation = { ...state.messagesByConversation, [conversationId]: merged };
      const maxVersion = Math.max(cursor.version, ...versions);

      let outbox = state.outbox;
      let ownMaxSeq = 0;
      for (const message of incoming) {
        outbox = omit(outbox, message.clientMessageId);
        if (message.authorId === state.selfId) ownMaxSeq = Math.max(ownMaxSeq, message.seq);
      }
      if (outbox !== state.outbox) patch.outbox = outbox;

      const conversation = state.conversations[conversationId];
      const newest = merged[merged.length - 1];
      if (conversation && newest && newest.seq >= conversation.lastSeq) {
        patch.conversations = {
          ...state.conversations,
          [conversationId]: {
            ...conversation,
            lastSeq: newest.seq,
            lastVersion: Math.max(conversation.lastVersion, maxVersion),
            lastActivityAt: newest.createdAt > conversation.lastActivityAt ? newest.createdAt : conversation.lastActivityAt,
            lastMessagePreview: newest.deletedAt ? "Message deleted" : newest.body.slice(0, 140),
            lastMessageAuthorId: newest.authorId,
          },
        };
      }
      // Own messages are read by definition, on every device.
      if (ownMaxSeq > (state.readSeqByConversation[conversationId] ?? 0)) {
        patch.readSeqByConversation = { ...state.readSeqByConversation, [conversationId]: ownMaxSeq };
      }
      return patch;
    }),

  applyReadUpdate: ({ conversationId, userId, readSeq }) =>
    set((state) => {
      const conversation = state.conversations[conversationId];
      const patch: Partial<ChatState> = {};
      if (userId === state.selfId && readSeq > (state.readSeqByConversation[conversationId] ?? 0)) {
        patch.readSeqByConversation = { ...state.readSeqByConversation, [conversationId]: readSeq };
      }
      if (conversation) {
        const members = conversation.members.map((member) =>
          member.id === userId && readSeq > member.readSeq ? { ...member, readSeq } : member,
        );
        if (members.some((member, index) => member !== conversation.members[index])) {
          patch.conversations = { ...state.conversations, [conversationId]: { ...conversation, members } };
        }
      }
      return Object.keys(patch).length > 0 ? patch : state;
    }),

  applyUnreadCounts: ({ counts }) =>
    set((state) => {
      const readSeqByConversation = { ...state.readSeqByConversation };
      for (const { conversationId, readSeq } of counts) readSeqByConversation[conversationId] = readSeq;
      return { readSeqByConversation };
    }),

  setTyping: ({ conversationId, userId, isTyping }, now = Date.now()) =>
    set((state) => {
      const current = state.typingByConversation[conversationId] ?? {};
      if (!isTyping && !(userId in current)) return state;
      const next = isTyping ? { ...current, [userId]: now + TYPING_VISIBLE_MS } : omit(current, userId);
      return { typingByConversation: { ...state.typingByConversation, [conversationId]: next } };
    }),

  expireTyping: (conversationId, userId, now = Date.now()) =>
    set((state) => {
      const expiresAt = state.typingByConversation[conversationId]?.[userId];
      if (expiresAt === undefined || expiresAt > now) return state;
      return {
        typingByConversation: {
          ...state.typingByConversation,
          [conversationId]: omit(state.typingByConversation[conversationId] ?? {}, userId),
        },
      };
    }),

  recordMention: (event) =>
    set((state) => {
      if (state.mentions.some((mention) => mention.messageId === event.messageId)) return state;
      return { mentions: [event, ...state.mentions].slice(0, MAX_MENTIONS) };
    }),

  putOutbox: (entry) => set((state) => ({ outbox: { ...state.outbox, [entry.clientMessageId]: entry } })),
  removeOutbox: (clientMessageId) =>
    set((state) => {
      const outbox = omit(state.outbox, clientMessageId);
      return outbox === state.outbox ? state : { outbox };
    }),

  reset: () => set(initialChatState),
}));

const MAX_MENTIONS = 50;

/** How long a typing indicator stays without a refresh (the sender refreshes every 2 s while typing). */
export const TYPING_VISIBLE_MS = 3_000;

// ── Selectors: narrow, and returning stable references (zustand v5) ──────────
const NO_MESSAGES: MessageDto[] = [];
const NO_TYPING: Record<string, number> = {};

export const selectMessages = (conversationId: string) => (state: ChatStore) =>
  state.messagesByConversation[conversationId] ?? NO_MESSAGES;

export const selectConversation = (conversationId: string) => (state: ChatStore) => state.conversations[conversationId] ?? null;

export const selectUnreadCount = (conversationId: string) => (state: ChatStore) => {
  const conversation = state.conversations[conversationId];
  if (!conversation) return 0;
  return Math.max(0, conversation.lastSeq - (state.readSeqByConversation[conversationId] ?? 0));
};

export const selectTotalUnread = (state: ChatStore) =>
  Object.values(state.conversations).reduce(
    (total, conversation) => total + Math.max(0, conversation.lastSeq - (state.readSeqByConversation[conversation.id] ?? 0)),
    0,
  );

export const selectTypingUsers = (conversationId: string) => (state: ChatStore) => state.typingByConversation[conversationId] ?? NO_TYPING;

let lastConversations: ChatState["conversations"] | null = null;
let lastSorted: ConversationDto[] = [];
/** Memoized on the map's identity so the selector returns a stable array. */
export const selectConversationList = (state: ChatStore): ConversationDto[] => {
  if (state.conversations !== lastConversations) {
    lastConversations = state.conversations;
    lastSorted = Object.values(state.conversations).sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt));
  }
  return lastSorted;
};

let lastOutbox: ChatState["outbox"] | null = null;
let outboxByConversation: Record<string, OutboxEntry[]> = {};
const NO_OUTBOX: OutboxEntry[] = [];
export const selectOutbox = (conversationId: string) => (state: ChatStore): OutboxEntry[] => {
  if (state.outbox !== lastOutbox) {
    lastOutbox = state.outbox;
    outboxByConversation = {};
    for (const entry of Object.values(state.outbox).sort((a, b) => a.createdAt - b.createdAt)) {
      (outboxByConversation[entry.conversationId] ??= []).push(entry);
    }
  }
  return outboxByConversation[conversationId] ?? NO_OUTBOX;
};

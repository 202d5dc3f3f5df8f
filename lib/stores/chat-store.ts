import "client-only";
import { create } from "zustand";

/** Conversation summaries for the sidebar; messages arrive with the chat feature (issue 3). */
export type ConversationSummary = { id: string; title: string; lastActivityAt: string; unreadCount: number };

export type ChatState = { conversations: Record<string, ConversationSummary> };
export type ChatActions = {
  upsertConversations: (conversations: ConversationSummary[]) => void;
  reset: () => void;
};
export type ChatStore = ChatState & ChatActions;

export const initialChatState: ChatState = { conversations: {} };

export const useChatStore = create<ChatStore>()((set) => ({
  ...initialChatState,
  upsertConversations: (conversations) =>
    set((state) => {
      if (conversations.length === 0) return state;
      const next = { ...state.conversations };
      for (const conversation of conversations) next[conversation.id] = conversation;
      return { conversations: next };
    }),
  reset: () => set(initialChatState),
}));

const byLatestActivity = (a: ConversationSummary, b: ConversationSummary) => b.lastActivityAt.localeCompare(a.lastActivityAt);
let lastInput: ChatState["conversations"] | null = null;
let lastOutput: ConversationSummary[] = [];
/** Memoized on the map's identity so the selector returns a stable array (zustand v5). */
export const selectConversationList = (state: ChatStore): ConversationSummary[] => {
  if (state.conversations !== lastInput) {
    lastInput = state.conversations;
    lastOutput = Object.values(state.conversations).sort(byLatestActivity);
  }
  return lastOutput;
};

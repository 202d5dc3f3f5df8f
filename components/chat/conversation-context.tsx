"use client";

import { createContext, useContext, useMemo } from "react";

import type { ConversationDto, MessageDto, PublicUserDto } from "@/lib/realtime/protocol";

export type MemberDirectory = {
  /** The member's name, or undefined for someone who is no longer a member. */
  nameOf: (userId: string) => string | undefined;
  userOf: (userId: string) => PublicUserDto | undefined;
  members: readonly PublicUserDto[];
};

/**
 * What every message needs from the conversation, kept referentially stable: a read receipt or a
 * new message must not re-render every item, only a change of names, colors or actions does.
 */
export type ConversationActions = {
  conversationId: string;
  selfId: string | null;
  directory: MemberDirectory;
  reply: (message: MessageDto) => void;
  startEdit: (messageId: string) => void;
  cancelEdit: () => void;
  /** Resolves true when saved (the editor closes), false when the server refused (it stays open). */
  saveEdit: (message: MessageDto, body: string) => Promise<boolean>;
  remove: (message: MessageDto) => Promise<boolean>;
  react: (message: MessageDto, emoji: string, isOn: boolean) => void;
  jumpTo: (seq: number) => void;
};

const ConversationActionsContext = createContext<ConversationActions | null>(null);
export const ConversationActionsProvider = ConversationActionsContext.Provider;

export function useConversationActions(): ConversationActions {
  const value = useContext(ConversationActionsContext);
  if (!value) throw new Error("useConversationActions outside ConversationActionsProvider");
  return value;
}

function directoryKey(members: readonly PublicUserDto[]): string {
  return members.map((member) => `${member.id}\u0000${member.name}\u0000${member.avatarColor}`).join("\u0001");
}

const EMPTY: readonly PublicUserDto[] = [];

function buildDirectory(members: readonly PublicUserDto[]): MemberDirectory {
  const publicMembers = members.map(({ id, name, avatarColor }) => ({ id, name, avatarColor }));
  const byId = new Map(publicMembers.map((member) => [member.id, member]));
  return { nameOf: (userId) => byId.get(userId)?.name, userOf: (userId) => byId.get(userId), members: publicMembers };
}

/** A lookup of the members that keeps its identity while only read pointers or roles change. */
export function useMemberDirectory(conversation: ConversationDto | null): MemberDirectory {
  const members = conversation?.members ?? EMPTY;
  const key = directoryKey(members);
  // Keyed on ids, names and colors only: `members` is a new array on every read update.
  return useMemo(() => buildDirectory(members), [key]);
}

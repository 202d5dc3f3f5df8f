"use client";

import { useCallback } from "react";
import { useShallow } from "zustand/react/shallow";

import type { FriendRequestDto, UserSearchResultDto } from "@/lib/realtime/protocol";
import { useContactsStore } from "@/lib/stores/contacts-store";

export type Relation = UserSearchResultDto["relation"];
export type RelationInfo = { relation: Relation; request: FriendRequestDto | null };

/**
 * The live relation to a person: the contacts store (kept current by the bridge) wins over the
 * relation a search returned, which is a snapshot from when the search ran.
 */
export function useRelationOf() {
  const { contacts, incoming, outgoing, blocked, selfId, isLoaded } = useContactsStore(
    useShallow((state) => ({
      contacts: state.contacts,
      incoming: state.incoming,
      outgoing: state.outgoing,
      blocked: state.blocked,
      selfId: state.selfId,
      isLoaded: state.isLoaded,
    })),
  );

  return useCallback(
    (userId: string, snapshot: Relation = "none"): RelationInfo => {
      if (userId === selfId) return { relation: "self", request: null };
      if (!isLoaded) return { relation: snapshot, request: null };
      if (blocked.some((user) => user.id === userId)) return { relation: "blocked", request: null };
      if (contacts.some((user) => user.id === userId)) return { relation: "contact", request: null };
      const received = incoming.find((request) => request.from.id === userId);
      if (received) return { relation: "incoming", request: received };
      const sent = outgoing.find((request) => request.to.id === userId);
      if (sent) return { relation: "outgoing", request: sent };
      return { relation: snapshot === "self" ? "self" : "none", request: null };
    },
    [contacts, incoming, outgoing, blocked, selfId, isLoaded],
  );
}

import "client-only";
import { create } from "zustand";

import type { ContactsDto, FriendRequestDto, PublicUserDto } from "@/lib/realtime/protocol";

export type ContactsState = ContactsDto & { isLoaded: boolean; selfId: string | null };
export type ContactsActions = {
  setSelf: (userId: string) => void;
  setContacts: (contacts: ContactsDto) => void;
  applyRequest: (request: FriendRequestDto) => void;
  reset: () => void;
};
export type ContactsStore = ContactsState & ContactsActions;

export const initialContactsState: ContactsState = { contacts: [], incoming: [], outgoing: [], blocked: [], isLoaded: false, selfId: null };

const byName = (a: PublicUserDto, b: PublicUserDto) => a.name.localeCompare(b.name);

export const useContactsStore = create<ContactsStore>()((set) => ({
  ...initialContactsState,
  setSelf: (selfId) => set({ selfId }),
  setContacts: (contacts) => set({ ...contacts, isLoaded: true }),
  applyRequest: (request) =>
    set((state) => {
      const incoming = state.incoming.filter((item) => item.id !== request.id);
      const outgoing = state.outgoing.filter((item) => item.id !== request.id);
      const isIncoming = request.to.id === state.selfId;
      if (request.status === "pending") (isIncoming ? incoming : outgoing).unshift(request);
      let contacts = state.contacts;
      if (request.status === "accepted") {
        const other = isIncoming ? request.from : request.to;
        if (!contacts.some((contact) => contact.id === other.id)) contacts = [...contacts, other].sort(byName);
      }
      return { incoming, outgoing, contacts };
    }),
  reset: () => set(initialContactsState),
}));

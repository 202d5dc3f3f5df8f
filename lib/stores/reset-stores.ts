import "client-only";

import { useCallStore } from "./call-store";
import { useChatStore } from "./chat-store";
import { useConnectionStore } from "./connection-store";
import { useContactsStore } from "./contacts-store";
import { useMatchStore } from "./match-store";
import { useNotificationStore } from "./notification-store";
import { usePresenceStore } from "./presence-store";

/** Sign-out or a change of user: nothing of the previous identity may survive in memory. */
export function resetRealtimeStores(): void {
  useChatStore.getState().reset();
  useContactsStore.getState().reset();
  useNotificationStore.getState().reset();
  usePresenceStore.getState().reset();
  useCallStore.getState().reset();
  useMatchStore.getState().reset();
  useConnectionStore.getState().reset();
}

"use client";

import { useCallback } from "react";
import { toast } from "sonner";

import { errorText } from "@/components/contacts/use-contact-actions";
import { useRequest } from "@/hooks/use-request";
import type { PresenceSetStatusInput } from "@/lib/realtime/protocol";
import { usePresenceStore } from "@/lib/stores/presence-store";

/**
 * Sends `presence:set-status` and applies the ack to the store at once (the server tells only the
 * user's other tabs). A refusal or timeout becomes a toast; resolves to whether it worked.
 */
export function useSetOwnStatus() {
  const call = useRequest();
  return useCallback(
    async (input: PresenceSetStatusInput): Promise<boolean> => {
      try {
        usePresenceStore.getState().setOwn(await call("presence:set-status", input));
        return true;
      } catch (caught) {
        toast.error(errorText(caught));
        return false;
      }
    },
    [call],
  );
}

"use client";

import { useCallback } from "react";

import { announceAuthChange } from "@/lib/realtime/client/auth-channel";
import { socketManager } from "@/lib/realtime/client/socket-manager";

/** Signs this browser session out everywhere it is open: the server revokes it, other tabs follow. */
export function useSignOut(): () => Promise<void> {
  return useCallback(async () => {
    // next-auth's client is only needed here: loaded on the click, not with every page.
    const { signOut } = await import("next-auth/react");
    await signOut({ redirect: false });
    socketManager.destroy();
    announceAuthChange("signed-out");
    window.location.assign("/sign-in");
  }, []);
}

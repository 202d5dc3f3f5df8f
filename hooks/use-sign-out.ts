"use client";

import { signOut } from "next-auth/react";
import { useCallback } from "react";

import { announceAuthChange } from "@/lib/realtime/client/auth-channel";
import { socketManager } from "@/lib/realtime/client/socket-manager";

/** Signs this browser session out everywhere it is open: the server revokes it, other tabs follow. */
export function useSignOut(): () => Promise<void> {
  return useCallback(async () => {
    await signOut({ redirect: false });
    socketManager.destroy();
    announceAuthChange("signed-out");
    window.location.assign("/sign-in");
  }, []);
}

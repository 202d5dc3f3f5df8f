"use client";

import { useEffect, type ReactNode } from "react";

import { useSocket } from "@/hooks/use-socket";
import { onAuthChange } from "@/lib/realtime/client/auth-channel";
import { configureSocketUrl, socketManager } from "@/lib/realtime/client/socket-manager";
import { useConnectionStore } from "@/lib/stores/connection-store";

/** Holds the shell's reference to the tab's socket and follows identity changes from other tabs. */
export function RealtimeProvider({ socketUrl, children }: { socketUrl: string | null; children: ReactNode }) {
  configureSocketUrl(socketUrl);
  useSocket();
  const status = useConnectionStore((state) => state.status);

  useEffect(
    () =>
      onAuthChange((change) => {
        socketManager.destroy();
        if (change === "signed-in") window.location.reload();
        else window.location.assign("/sign-in");
      }),
    [],
  );

  useEffect(() => {
    if (status !== "signed-out") return;
    socketManager.destroy();
    window.location.assign("/sign-in");
  }, [status]);

  return <>{children}</>;
}

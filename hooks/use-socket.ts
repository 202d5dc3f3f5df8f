"use client";

import { useEffect, useState } from "react";

import { socketManager, type AppClientSocket } from "@/lib/realtime/client/socket-manager";

/** Ref-counted access to the tab's socket. Use it to *emit*; read realtime state from the stores. */
export function useSocket(): AppClientSocket | null {
  const [socket, setSocket] = useState<AppClientSocket | null>(null);

  useEffect(() => {
    setSocket(socketManager.acquire());
    return () => socketManager.release();
  }, []);

  return socket;
}

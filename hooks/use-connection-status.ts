"use client";

import { selectConnectionStatus, useConnectionStore, type ConnectionStatus } from "@/lib/stores/connection-store";

export function useConnectionStatus(): ConnectionStatus {
  return useConnectionStore(selectConnectionStatus);
}

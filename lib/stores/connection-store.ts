import "client-only";
import { create } from "zustand";

import type { SessionUserDto } from "@/lib/realtime/protocol";

export type ConnectionStatus = "idle" | "connecting" | "connected" | "reconnecting" | "offline" | "signed-out";

export type ConnectionState = {
  status: ConnectionStatus;
  /** The identity the server confirmed for this socket (`session:ready`). */
  user: SessionUserDto | null;
  /** Whether this tab has ever reached the server: an unreachable server reads "offline", a lost one "reconnecting". */
  hasConnected: boolean;
  lastError: string | null;
  /** Deliveries of `system:echoed` per nonce: more than one means a duplicated listener. */
  echoDeliveries: Record<string, number>;
  latencyMs: number | null;
  /** When the next reconnect attempt starts (epoch ms), while one is scheduled. */
  nextRetryAt: number | null;
};

export type ConnectionActions = {
  setStatus: (status: ConnectionStatus, error?: string | null) => void;
  sessionReady: (user: SessionUserDto) => void;
  recordEcho: (nonce: string) => void;
  setLatency: (latencyMs: number) => void;
  setNextRetryAt: (at: number | null) => void;
  reset: () => void;
};

export type ConnectionStore = ConnectionState & ConnectionActions;

export const initialConnectionState: ConnectionState = {
  status: "idle",
  user: null,
  hasConnected: false,
  lastError: null,
  echoDeliveries: {},
  latencyMs: null,
  nextRetryAt: null,
};

export const useConnectionStore = create<ConnectionStore>()((set) => ({
  ...initialConnectionState,
  setStatus: (status, error = null) =>
    set((state) => (state.status === status && state.lastError === error ? state : { status, lastError: error })),
  sessionReady: (user) => set({ user, status: "connected", hasConnected: true, lastError: null }),
  recordEcho: (nonce) =>
    set((state) => ({ echoDeliveries: { ...state.echoDeliveries, [nonce]: (state.echoDeliveries[nonce] ?? 0) + 1 } })),
  setLatency: (latencyMs) => set({ latencyMs }),
  setNextRetryAt: (nextRetryAt) => set((state) => (state.nextRetryAt === nextRetryAt ? state : { nextRetryAt })),
  reset: () => set(initialConnectionState),
}));

export const selectConnectionStatus = (state: ConnectionStore) => state.status;
export const selectRealtimeUser = (state: ConnectionStore) => state.user;

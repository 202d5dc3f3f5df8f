import "client-only";
import { create } from "zustand";

export type CallPhase = "idle" | "outgoing" | "incoming" | "connecting" | "active" | "ended";

export type CallState = { phase: CallPhase; callId: string | null; peerUserId: string | null };
export type CallActions = {
  setPhase: (phase: CallPhase, call?: { callId: string; peerUserId: string }) => void;
  reset: () => void;
};
export type CallStore = CallState & CallActions;

export const initialCallState: CallState = { phase: "idle", callId: null, peerUserId: null };

export const useCallStore = create<CallStore>()((set) => ({
  ...initialCallState,
  setPhase: (phase, call) => set(call ? { phase, callId: call.callId, peerUserId: call.peerUserId } : { phase }),
  reset: () => set(initialCallState),
}));

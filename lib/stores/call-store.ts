/**
 * The call this tab takes part in (at most one), its phase, the media state of both sides and the
 * streams the call view renders. Written by the call session (lib/realtime/client/call-session.ts),
 * which follows the bridge's call events; transitions go through the pure `callReducer`.
 */
import "client-only";
import { create } from "zustand";

import { callReducer, initialCallMachineState, type CallEvent, type CallMachineState } from "@/lib/calls/call-machine";

export type { CallPhase, CallRole } from "@/lib/calls/call-machine";

/** What one side sends: `videoOff` covers both "camera off" and "not sending video at all". */
export type MediaFlags = { audioMuted: boolean; videoOff: boolean };
export type LocalMedia = MediaFlags & {
  /** A video track is being sent (a video call, or switched to video); the camera may still be off. */
  hasVideo: boolean;
};

export type CallState = CallMachineState & {
  local: LocalMedia;
  /** What the other side reported (`call:peer-media`); until then, guessed from the call's kind. */
  peer: MediaFlags;
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  /** The remote video track carries frames (it unmutes when RTP arrives). */
  isRemoteVideoLive: boolean;
  /** The incoming call that another device of the user answered, for a short notice. */
  answeredElsewhereCallId: string | null;
};

export type CallActions = {
  dispatch: (event: CallEvent) => void;
  setLocal: (local: Partial<LocalMedia>) => void;
  setPeer: (peer: MediaFlags) => void;
  setStreams: (streams: { localStream?: MediaStream | null; remoteStream?: MediaStream | null }) => void;
  setRemoteVideoLive: (isLive: boolean) => void;
  setAnsweredElsewhere: (callId: string | null) => void;
  reset: () => void;
};
export type CallStore = CallState & CallActions;

const initialLocal: LocalMedia = { audioMuted: false, videoOff: true, hasVideo: false };

export const initialCallState: CallState = {
  ...initialCallMachineState,
  local: initialLocal,
  peer: { audioMuted: false, videoOff: false },
  localStream: null,
  remoteStream: null,
  isRemoteVideoLive: false,
  answeredElsewhereCallId: null,
};

export const useCallStore = create<CallStore>()((set) => ({
  ...initialCallState,
  dispatch: (event) =>
    set((state) => {
      const next = callReducer(state, event);
      if (next === state) return state;
      // A new call starts with fresh media flags; the peer's video is assumed from the kind.
      const isNewCall = next.call?.id !== state.call?.id;
      return isNewCall
        ? { ...next, local: initialLocal, peer: { audioMuted: false, videoOff: next.call?.kind !== "video" }, isRemoteVideoLive: false }
        : next;
    }),
  setLocal: (local) => set((state) => ({ local: { ...state.local, ...local } })),
  setPeer: (peer) => set({ peer }),
  setStreams: (streams) => set(streams),
  setRemoteVideoLive: (isRemoteVideoLive) => set((state) => (state.isRemoteVideoLive === isRemoteVideoLive ? state : { isRemoteVideoLive })),
  setAnsweredElsewhere: (answeredElsewhereCallId) => set({ answeredElsewhereCallId }),
  reset: () => set(initialCallState),
}));

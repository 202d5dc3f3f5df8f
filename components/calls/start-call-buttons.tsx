"use client";

import { clsx } from "clsx";

import { isInCall } from "@/lib/calls/call-machine";
import { startCall } from "@/lib/realtime/client/call-session";
import type { CallKind, PublicUserDto } from "@/lib/realtime/protocol";
import { useCallStore } from "@/lib/stores/call-store";
import { useConnectionStatus } from "@/hooks/use-connection-status";
import { PhoneIcon, VideoIcon } from "./call-icons";

const iconButton =
  "rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:cursor-not-allowed disabled:opacity-50 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white";

/**
 * "Start audio call" and "Start video call" for one person. Disabled while offline or while this
 * tab already takes part in a call (the server would answer busy anyway).
 */
export function StartCallButtons({ peer, className }: { peer: PublicUserDto; className?: string }) {
  const phase = useCallStore((state) => state.phase);
  const isConnected = useConnectionStatus() === "connected";
  const isDisabled = !isConnected || isInCall(phase);
  const start = (kind: CallKind) => void startCall(peer, kind);
  return (
    <div className={clsx("flex items-center", className)}>
      <button type="button" className={iconButton} aria-label="Start audio call" title={`Audio call with ${peer.name}`} disabled={isDisabled} onClick={() => start("audio")}>
        <PhoneIcon />
      </button>
      <button type="button" className={iconButton} aria-label="Start video call" title={`Video call with ${peer.name}`} disabled={isDisabled} onClick={() => start("video")}>
        <VideoIcon />
      </button>
    </div>
  );
}

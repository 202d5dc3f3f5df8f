"use client";

import { clsx } from "clsx";
import type { ReactNode } from "react";

import { hangUp, switchMedia, toggleCamera, toggleMute } from "@/lib/realtime/client/call-session";
import { useCallStore } from "@/lib/stores/call-store";
import { MicIcon, MicOffIcon, PhoneIcon, PhoneOffIcon, VideoIcon, VideoOffIcon } from "./call-icons";

function Control({ label, onClick, tone = "neutral", isActive = false, disabled = false, children }: { label: string; onClick: () => void; tone?: "neutral" | "danger"; isActive?: boolean; disabled?: boolean; children: ReactNode }) {
  return (
    <button
      type="button"
      aria-label={label}
      title={label}
      onClick={onClick}
      disabled={disabled}
      className={clsx(
        "inline-flex h-12 w-12 items-center justify-center rounded-full focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white disabled:cursor-not-allowed disabled:opacity-50",
        tone === "danger" ? "bg-red-600 hover:bg-red-500" : isActive ? "bg-white text-slate-900 hover:bg-slate-200" : "bg-white/15 hover:bg-white/25",
      )}
    >
      {children}
    </button>
  );
}

/** Mute, camera, audio↔video and end (Cancel while the other side still rings); a match call is audio only. */
export function CallControls() {
  const phase = useCallStore((state) => state.phase);
  const local = useCallStore((state) => state.local);
  const hasMedia = useCallStore((state) => state.localStream !== null);
  const isMatch = useCallStore((state) => state.call?.match != null);
  if (phase === "outgoing-ringing") {
    return (
      <Control label="Cancel call" tone="danger" onClick={() => void hangUp()}>
        <PhoneOffIcon />
      </Control>
    );
  }
  return (
    <>
      <Control label={local.audioMuted ? "Unmute" : "Mute"} isActive={local.audioMuted} disabled={!hasMedia} onClick={toggleMute}>
        {local.audioMuted ? <MicOffIcon /> : <MicIcon />}
      </Control>
      {local.hasVideo ? (
        <Control label={local.videoOff ? "Turn camera on" : "Turn camera off"} isActive={local.videoOff} onClick={toggleCamera}>
          {local.videoOff ? <VideoOffIcon /> : <VideoIcon />}
        </Control>
      ) : null}
      {isMatch ? null : (
        <Control label={local.hasVideo ? "Switch to audio" : "Switch to video"} disabled={!hasMedia} onClick={() => void switchMedia()}>
          {local.hasVideo ? <PhoneIcon /> : <VideoIcon />}
        </Control>
      )}
      <Control label="End call" tone="danger" onClick={() => void hangUp()}>
        <PhoneOffIcon />
      </Control>
    </>
  );
}

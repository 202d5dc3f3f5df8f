"use client";

import { clsx } from "clsx";
import type { ReactNode } from "react";

import { hangUp, switchMedia, toggleCamera, toggleMute } from "@/lib/realtime/client/call-session";
import { useCallStore } from "@/lib/stores/call-store";
import { MicIcon, MicOffIcon, PhoneIcon, PhoneOffIcon, VideoIcon, VideoOffIcon } from "./call-icons";

type CallControlProps = {
  label: string;
  onClick: () => void;
  tone?: "neutral" | "danger";
  isActive?: boolean;
  disabled?: boolean;
  /** Show the label beside the icon (a pill) instead of an icon-only round button. */
  showLabel?: boolean;
  /** With showLabel: a fuller accessible name (starting with the label) when the word alone is too short. */
  name?: string;
  children: ReactNode;
};

/** A round call button on the dark call surface; shared by the call view and the Match page. */
export function CallControl({ label, onClick, tone = "neutral", isActive = false, disabled = false, showLabel = false, name, children }: CallControlProps) {
  return (
    <button
      type="button"
      aria-label={showLabel ? name : label}
      title={showLabel ? undefined : label}
      onClick={onClick}
      disabled={disabled}
      className={clsx(
        "inline-flex items-center rounded-full focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-white disabled:cursor-not-allowed disabled:opacity-50",
        showLabel ? "gap-2 px-4 py-2.5 text-sm font-medium" : "h-12 w-12 justify-center",
        tone === "danger" ? "bg-red-600 hover:bg-red-500" : isActive ? "bg-white text-slate-900 hover:bg-slate-200" : "bg-white/15 hover:bg-white/25",
      )}
    >
      {children}
      {showLabel ? label : null}
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
      <CallControl label="Cancel call" tone="danger" onClick={() => void hangUp()}>
        <PhoneOffIcon />
      </CallControl>
    );
  }
  return (
    <>
      <CallControl label={local.audioMuted ? "Unmute" : "Mute"} isActive={local.audioMuted} disabled={!hasMedia} onClick={toggleMute}>
        {local.audioMuted ? <MicOffIcon /> : <MicIcon />}
      </CallControl>
      {local.hasVideo ? (
        <CallControl label={local.videoOff ? "Turn camera on" : "Turn camera off"} isActive={local.videoOff} onClick={toggleCamera}>
          {local.videoOff ? <VideoOffIcon /> : <VideoIcon />}
        </CallControl>
      ) : null}
      {isMatch ? null : (
        <CallControl label={local.hasVideo ? "Switch to audio" : "Switch to video"} disabled={!hasMedia} onClick={() => void switchMedia()}>
          {local.hasVideo ? <PhoneIcon /> : <VideoIcon />}
        </CallControl>
      )}
      <CallControl label="End call" tone="danger" onClick={() => void hangUp()}>
        <PhoneOffIcon />
      </CallControl>
    </>
  );
}

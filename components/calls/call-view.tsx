"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

import { Avatar } from "@/components/ui/avatar";
import { useCallStore } from "@/lib/stores/call-store";
import { MicOffIcon, VideoOffIcon } from "./call-icons";
import { CallControls } from "./call-controls";
import { CallTimer } from "./call-timer";
import { MediaStreamView } from "./media-stream-view";

/** What the header says under the name: ringing, connecting, reconnecting, or the running time. */
function CallStatusLine() {
  const phase = useCallStore((state) => state.phase);
  const answeredAt = useCallStore((state) => state.answeredAt);
  const isRecovering = useCallStore((state) => state.isRecovering);
  const kind = useCallStore((state) => state.call?.kind);
  if (phase === "outgoing-ringing") return <>Ringing… ({kind} call)</>;
  if (isRecovering) return <>Reconnecting…</>;
  if (phase === "connecting" || !answeredAt) return <>Connecting…</>;
  return <CallTimer since={answeredAt} />;
}

/**
 * The call in progress (and the caller's ringing): remote video large, self view small, or both
 * avatars when nobody sends video; the other side's mute and camera state; the controls.
 * Remote sound plays through its own <audio>, so it keeps playing whatever the layout shows.
 * A match call shows here (with the other side's alias) only away from /match: the Match page
 * shows its own call, with its own <audio>, so there is never a second overlay or a second sound.
 */
export function CallView() {
  const phase = useCallStore((state) => state.phase);
  const call = useCallStore((state) => state.call);
  const role = useCallStore((state) => state.role);
  const local = useCallStore((state) => state.local);
  const peerMedia = useCallStore((state) => state.peer);
  const localStream = useCallStore((state) => state.localStream);
  const remoteStream = useCallStore((state) => state.remoteStream);
  const isRemoteVideoLive = useCallStore((state) => state.isRemoteVideoLive);
  const pathname = usePathname();
  const selfUser = role === "caller" ? call?.caller : call?.callee;
  const peer = role === "caller" ? call?.callee : call?.caller;
  if (!call || !peer || !selfUser || (phase !== "outgoing-ringing" && phase !== "connecting" && phase !== "active")) return null;
  if (call.match && pathname === "/match") return null;

  const isRinging = phase === "outgoing-ringing";
  const showsRemoteVideo = !isRinging && isRemoteVideoLive && !peerMedia.videoOff;
  const showsSelfVideo = local.hasVideo && !local.videoOff && localStream !== null;

  return (
    <section
      aria-label={`Call with ${peer.name}`}
      data-testid="call-view"
      data-phase={phase}
      className="fixed inset-0 z-40 flex flex-col bg-slate-950 text-white"
    >
      <header className="flex items-center gap-3 px-4 py-3">
        <div className="min-w-0">
          {call.match ? (
            <p className="text-xs uppercase tracking-wide text-slate-400">
              Match call ·{" "}
              <Link href="/match" className="normal-case tracking-normal text-indigo-300 underline-offset-2 hover:underline">
                Open Match
              </Link>
            </p>
          ) : null}
          <h2 className="truncate text-base font-semibold">{peer.name}</h2>
          <p className="text-sm text-slate-300" aria-live="polite">
            <CallStatusLine />
          </p>
        </div>
        {!isRinging ? (
          <ul className="ml-auto flex gap-2 text-xs" aria-label={`${peer.name}'s media`}>
            {peerMedia.audioMuted ? (
              <li data-testid="peer-muted" className="inline-flex items-center gap-1 rounded-full bg-white/15 px-2 py-1">
                <MicOffIcon className="h-3.5 w-3.5" />
                {peer.name} is muted
              </li>
            ) : null}
            {peerMedia.videoOff && call.kind === "video" ? (
              <li data-testid="peer-camera-off" className="inline-flex items-center gap-1 rounded-full bg-white/15 px-2 py-1">
                <VideoOffIcon className="h-3.5 w-3.5" />
                {peer.name}&apos;s camera is off
              </li>
            ) : null}
          </ul>
        ) : null}
      </header>

      <div className="relative min-h-0 flex-1">
        {showsRemoteVideo ? (
          <MediaStreamView stream={remoteStream} kind="video" muted className="h-full w-full object-contain" data-testid="remote-video" />
        ) : (
          <div className="flex h-full flex-col items-center justify-center gap-3" data-testid="audio-layout">
            <Avatar name={peer.name} color={peer.avatarColor} size="lg" className={isRinging ? "animate-pulse" : undefined} />
            <p className="text-sm text-slate-300">{peer.name}</p>
          </div>
        )}
        {/* Remote sound, whatever the layout. */}
        <MediaStreamView stream={remoteStream} kind="audio" data-testid="remote-audio" />
        <div className="absolute bottom-3 right-3 flex h-28 w-40 items-center justify-center overflow-hidden rounded-lg border border-white/20 bg-slate-800 shadow-lg sm:h-36 sm:w-52">
          {showsSelfVideo ? (
            <MediaStreamView stream={localStream} kind="video" muted className="h-full w-full -scale-x-100 object-cover" data-testid="self-video" />
          ) : (
            <div className="flex flex-col items-center gap-1 text-xs text-slate-300">
              <Avatar name={selfUser.name} color={selfUser.avatarColor} size="md" />
              <span>{local.hasVideo ? "Your camera is off" : "You"}</span>
            </div>
          )}
        </div>
      </div>

      <div className="flex items-center justify-center gap-3 px-4 py-4" role="toolbar" aria-label="Call controls">
        <CallControls />
      </div>
    </section>
  );
}

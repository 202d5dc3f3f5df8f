"use client";

import { useShallow } from "zustand/react/shallow";

import { MicIcon, MicOffIcon, PhoneOffIcon } from "@/components/calls/call-icons";
import { CallControl } from "@/components/calls/call-controls";
import { CallTimer } from "@/components/calls/call-timer";
import { MediaStreamView } from "@/components/calls/media-stream-view";
import { Avatar } from "@/components/ui/avatar";
import { toggleMute } from "@/lib/realtime/client/call-session";
import { endMatchCall, skipMatch } from "@/lib/realtime/client/match-client";
import { useCallStore } from "@/lib/stores/call-store";
import { useMatchStore } from "@/lib/stores/match-store";
import { SkipIcon } from "./match-icons";
import { moodsText } from "./match-text";

type Connection = "connecting" | "connected" | "reconnecting";
const CONNECTION_TEXT: Record<Connection, string> = { connecting: "Connecting…", connected: "Connected", reconnecting: "Reconnecting…" };

/** The live match call: the other side's alias, both moods, topics, time, connection, mute, End, Skip. */
export function MatchCall() {
  const match = useMatchStore((state) => state.match);
  const call = useCallStore(
    useShallow((state) => {
      const isThisMatch = !!match && state.call?.match?.matchId === match.id;
      return {
        isThisMatch,
        phase: isThisMatch ? state.phase : null,
        answeredAt: isThisMatch ? state.answeredAt : null,
        isRecovering: isThisMatch && state.isRecovering,
        audioMuted: state.local.audioMuted,
        peerMuted: isThisMatch && state.peer.audioMuted,
        hasMedia: isThisMatch && state.localStream !== null,
        remoteStream: isThisMatch ? state.remoteStream : null,
        // The call's DTO carries a color made from the alias: the same avatar as the call view's.
        peerColor: isThisMatch ? (state.role === "caller" ? state.call?.callee.avatarColor : state.call?.caller.avatarColor) : null,
      };
    }),
  );
  if (!match) return null;
  const connection: Connection = call.isRecovering ? "reconnecting" : call.phase === "active" ? "connected" : "connecting";
  const alias = match.peer.alias;

  return (
    <section aria-label={`Match call with ${alias}`} data-testid="match-call" data-match-id={match.id} className="flex flex-col gap-5 rounded-xl bg-slate-950 p-5 text-white sm:p-6">
      <div className="flex items-center gap-4">
        <Avatar name={alias} color={call.peerColor} size="lg" className={connection === "connecting" ? "animate-pulse" : undefined} />
        <div className="min-w-0 flex-1">
          <p className="text-xs uppercase tracking-wide text-slate-400">You are talking with</p>
          <h2 className="truncate text-lg font-semibold" data-testid="match-peer-alias">
            {alias}
          </h2>
          <p className="flex flex-wrap items-center gap-x-2 text-sm text-slate-300" aria-live="polite">
            <span data-testid="match-connection" data-state={connection}>
              {CONNECTION_TEXT[connection]}
            </span>
            {call.answeredAt !== null ? (
              <>
                <span aria-hidden="true">·</span>
                <CallTimer since={call.answeredAt} />
              </>
            ) : null}
          </p>
        </div>
      </div>

      <div className="flex flex-col gap-1 text-sm text-slate-200">
        <p data-testid="match-moods">{moodsText(match.self.mood, match.peer.mood)}</p>
        {match.peer.topic ? <p>Their topic: {match.peer.topic}</p> : null}
        {match.self.topic ? <p>Your topic: {match.self.topic}</p> : null}
        <p className="text-xs text-slate-400">You appear to them as {match.self.alias}.</p>
      </div>

      {call.peerMuted ? (
        <p data-testid="match-peer-muted" className="inline-flex items-center gap-1 self-start rounded-full bg-white/15 px-2 py-1 text-xs">
          <MicOffIcon className="h-3.5 w-3.5" />
          {alias} is muted
        </p>
      ) : null}

      {/* The other side's voice. */}
      <MediaStreamView stream={call.remoteStream} kind="audio" data-testid="match-remote-audio" />

      <div className="flex flex-wrap items-center gap-2" role="toolbar" aria-label="Call controls">
        <CallControl showLabel label={call.audioMuted ? "Unmute" : "Mute"} isActive={call.audioMuted} disabled={!call.hasMedia} onClick={toggleMute}>
          {call.audioMuted ? <MicOffIcon className="h-4 w-4" /> : <MicIcon className="h-4 w-4" />}
        </CallControl>
        <CallControl showLabel label="Skip" name="Skip to the next person" onClick={() => void skipMatch()}>
          <SkipIcon className="h-4 w-4" />
        </CallControl>
        <CallControl showLabel label="End call" tone="danger" onClick={() => void endMatchCall()}>
          <PhoneOffIcon className="h-4 w-4" />
        </CallControl>
      </div>
      <p className="text-xs text-slate-400">Skip ends this call and finds you the next person with the same preferences.</p>
    </section>
  );
}

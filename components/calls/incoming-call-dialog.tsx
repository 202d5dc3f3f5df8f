"use client";

import { useLayoutEffect, useRef, useState } from "react";

import { Avatar } from "@/components/ui/avatar";
import { Dialog } from "@/components/ui/dialog";
import { acceptCall, declineCall } from "@/lib/realtime/client/call-session";
import { useCallStore } from "@/lib/stores/call-store";
import { PhoneIcon, PhoneOffIcon, VideoIcon } from "./call-icons";
import { useRingtone } from "./use-ringtone";

const action = "inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-medium text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:cursor-not-allowed disabled:opacity-60";

/**
 * Rings on every open device of the callee. Close (or Escape) only silences this device; the call
 * keeps ringing elsewhere until it is answered, declined or missed.
 */
export function IncomingCallDialog() {
  const call = useCallStore((state) => (state.phase === "incoming-ringing" ? state.call : null));
  const [ignoredCallId, setIgnoredCallId] = useState<string | null>(null);
  const [answeringCallId, setAnsweringCallId] = useState<string | null>(null);
  const isOpen = call !== null && call.id !== ignoredCallId;
  useRingtone(isOpen && answeringCallId !== call?.id);
  const shownRef = useRef<HTMLDivElement>(null);

  // When the dialog appeared, on the page's clock (performance.timeOrigin + now is comparable
  // across pages of one machine): the e2e measures "call click → callee ringing" from it.
  useLayoutEffect(() => {
    if (isOpen && shownRef.current) shownRef.current.dataset.shownAt = String(performance.timeOrigin + performance.now());
  }, [isOpen, call?.id]);

  if (!call) return null;
  const isAnswering = answeringCallId === call.id;
  const answer = (withVideo: boolean) => {
    setAnsweringCallId(call.id);
    void acceptCall(withVideo).finally(() => setAnsweringCallId(null));
  };

  return (
    <Dialog
      open={isOpen}
      onClose={() => setIgnoredCallId(call.id)}
      title={`Incoming ${call.kind} call`}
      description={`${call.caller.name} is calling you`}
      role="alertdialog"
      size="sm"
    >
      <div ref={shownRef} data-testid="incoming-call" data-call-id={call.id} className="flex flex-col items-center gap-4">
        <Avatar name={call.caller.name} color={call.caller.avatarColor} size="lg" className="animate-pulse" />
        <p className="text-sm font-medium">{call.caller.name}</p>
        <div className="flex w-full flex-wrap justify-center gap-2">
          <button type="button" className={`${action} bg-emerald-600 hover:bg-emerald-500`} disabled={isAnswering} onClick={() => answer(false)} data-autofocus>
            <PhoneIcon className="h-4 w-4" />
            Accept with audio
          </button>
          <button type="button" className={`${action} bg-emerald-600 hover:bg-emerald-500`} disabled={isAnswering} onClick={() => answer(true)}>
            <VideoIcon className="h-4 w-4" />
            Accept with video
          </button>
          <button type="button" className={`${action} bg-red-600 hover:bg-red-500`} disabled={isAnswering} onClick={() => void declineCall()}>
            <PhoneOffIcon className="h-4 w-4" />
            Decline
          </button>
        </div>
      </div>
    </Dialog>
  );
}

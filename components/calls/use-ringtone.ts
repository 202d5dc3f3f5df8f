"use client";

import { useEffect } from "react";

import { useOwnPresence } from "@/hooks/use-presence";
import { startRingtone } from "@/lib/realtime/client/ringtone";

/** Rings while `isRinging`, except in Do not disturb: the call still shows, it just makes no sound. */
export function useRingtone(isRinging: boolean): void {
  const isDoNotDisturb = useOwnPresence()?.mode === "dnd";
  const shouldRing = isRinging && !isDoNotDisturb;
  useEffect(() => (shouldRing ? startRingtone() : undefined), [shouldRing]);
}

"use client";

import { useEffect, useRef } from "react";

type MediaStreamViewProps = {
  stream: MediaStream | null;
  kind: "video" | "audio";
  /** Own media is always muted: hearing oneself echoes. Remote video is muted too (its audio plays through an <audio>). */
  muted?: boolean;
  className?: string;
  "data-testid"?: string;
};

/** A <video>/<audio> bound to a MediaStream (srcObject is a property, not an attribute React can set). */
export function MediaStreamView({ stream, kind, muted = false, className, "data-testid": testId }: MediaStreamViewProps) {
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.srcObject = stream;
    if (stream) void element.play().catch(() => undefined); // autoplay may wait for a gesture; the call began with one
  }, [stream]);
  return kind === "video" ? (
    <video ref={ref} autoPlay playsInline muted={muted} className={className} data-testid={testId} />
  ) : (
    <audio ref={ref} autoPlay muted={muted} data-testid={testId} />
  );
}

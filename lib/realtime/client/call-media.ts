/**
 * The local camera and microphone for a call. Ending a call must stop every track it ever
 * opened (the camera light goes off), so everything here hands out tracks the session owns.
 */
import "client-only";

const VIDEO_CONSTRAINTS: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: "user" };

/** Microphone, plus the camera when `video`; a missing or refused camera falls back to audio only. */
export async function openLocalMedia(video: boolean): Promise<MediaStream> {
  const devices = navigator.mediaDevices;
  if (!devices?.getUserMedia) throw new Error("this browser cannot use a camera or microphone here");
  if (!video) return devices.getUserMedia({ audio: true, video: false });
  try {
    return await devices.getUserMedia({ audio: true, video: VIDEO_CONSTRAINTS });
  } catch {
    return devices.getUserMedia({ audio: true, video: false });
  }
}

/** A camera track alone, for switching an audio call to video. */
export async function openCamera(): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: false, video: VIDEO_CONSTRAINTS });
  const track = stream.getVideoTracks()[0];
  if (!track) throw new Error("no camera track");
  return track;
}

export function stopStream(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** Words for a getUserMedia failure the user can act on. */
export function describeMediaError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : "";
  if (name === "NotAllowedError") return "camera or microphone access was refused";
  if (name === "NotFoundError") return "no microphone was found";
  if (name === "NotReadableError") return "the microphone or camera is in use by another application";
  return error instanceof Error && error.message ? error.message : "camera or microphone unavailable";
}

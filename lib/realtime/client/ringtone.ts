/**
 * The incoming-call ringtone, synthesised with Web Audio (two-tone bursts, 1 s on, 2 s off), so
 * no audio asset ships. A page that had no user gesture yet may keep the context suspended: then
 * the ring is silent and the dialog still shows. Returns the stop function.
 */
import "client-only";

const TONES_HZ = [440, 480];
const BURST_S = 1;
const PERIOD_MS = 3_000;
const VOLUME = 0.06;

export function startRingtone(): () => void {
  const AudioContextClass = typeof window === "undefined" ? undefined : window.AudioContext;
  if (!AudioContextClass) return () => {};
  let context: AudioContext;
  try {
    context = new AudioContextClass();
  } catch {
    return () => {};
  }
  void context.resume().catch(() => undefined);

  const ring = () => {
    if (context.state === "closed") return;
    const start = context.currentTime + 0.02;
    const gain = context.createGain();
    gain.gain.setValueAtTime(0, start);
    gain.gain.linearRampToValueAtTime(VOLUME, start + 0.03); // ramps avoid clicks
    gain.gain.setValueAtTime(VOLUME, start + BURST_S - 0.05);
    gain.gain.linearRampToValueAtTime(0, start + BURST_S);
    gain.connect(context.destination);
    for (const frequency of TONES_HZ) {
      const oscillator = context.createOscillator();
      oscillator.frequency.value = frequency;
      oscillator.connect(gain);
      oscillator.start(start);
      oscillator.stop(start + BURST_S);
    }
  };

  ring();
  const timer = setInterval(ring, PERIOD_MS);
  return () => {
    clearInterval(timer);
    void context.close().catch(() => undefined);
  };
}

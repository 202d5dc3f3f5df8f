/** Tells this browser's other tabs that the identity changed, even when their socket is down. */
import "client-only";

type AuthChange = "signed-out" | "signed-in";
const CHANNEL = "parley-auth";

export function announceAuthChange(change: AuthChange): void {
  if (typeof BroadcastChannel === "undefined") return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage(change);
  channel.close();
}

export function onAuthChange(listener: (change: AuthChange) => void): () => void {
  if (typeof BroadcastChannel === "undefined") return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<AuthChange>) => listener(event.data);
  return () => channel.close();
}

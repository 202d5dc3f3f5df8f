/**
 * Desktop notifications (the Notification API) for a hidden tab. Permission is asked only from a
 * click (`requestDesktopPermission`), never on load: browsers penalise, and users dislike, prompts
 * nobody asked for.
 */
import "client-only";

export type DesktopPermission = NotificationPermission | "unsupported";

export function desktopPermission(): DesktopPermission {
  return typeof window !== "undefined" && "Notification" in window ? Notification.permission : "unsupported";
}

/** Call from a user gesture only. Resolves to the resulting permission. */
export async function requestDesktopPermission(): Promise<DesktopPermission> {
  if (desktopPermission() === "unsupported") return "unsupported";
  return Notification.requestPermission();
}

/**
 * Shows one desktop notification. The tag is the notification id, so every tab of the user (each
 * gets the same event) and every coalesced update replace one entry instead of stacking.
 */
export function showDesktopNotification(id: string, text: string, open: () => void): void {
  if (desktopPermission() !== "granted") return;
  try {
    const shown = new Notification("Parley", { body: text, tag: `parley:${id}` });
    shown.onclick = () => {
      window.focus();
      open();
      shown.close();
    };
  } catch {
    // Some browsers (Android Chrome) only allow notifications from a service worker: the toast remains.
  }
}

"use client";

import { useEffect, useState } from "react";

import { desktopPermission, requestDesktopPermission, type DesktopPermission } from "@/lib/realtime/client/desktop-notifications";

/**
 * Offers desktop notifications while the browser has not been asked yet. The prompt comes only
 * from this click, never on load.
 */
export function DesktopPermissionButton() {
  // Unknown until mounted: the server cannot know, and a mismatch would break hydration.
  const [permission, setPermission] = useState<DesktopPermission>("unsupported");
  useEffect(() => setPermission(desktopPermission()), []);

  if (permission !== "default") return null;
  return (
    <button
      type="button"
      onClick={() => void requestDesktopPermission().then(setPermission)}
      className="mx-3 mb-2 rounded-md border border-indigo-200 bg-indigo-50 px-3 py-1.5 text-left text-xs font-medium text-indigo-800 hover:bg-indigo-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-indigo-500/30 dark:bg-indigo-500/10 dark:text-indigo-200 dark:hover:bg-indigo-500/20"
    >
      Enable desktop notifications
    </button>
  );
}

"use client";

import dynamic from "next/dynamic";
import { useEffect } from "react";

import { useCallStore } from "@/lib/stores/call-store";

// The call UI is not part of a page's first load; it is fetched once the page is idle, so a ring
// that arrives later does not wait for the network.
const loadCallView = () => import("./call-view");
const loadIncomingCallDialog = () => import("./incoming-call-dialog");
const CallView = dynamic(() => loadCallView().then((module) => module.CallView));
const IncomingCallDialog = dynamic(() => loadIncomingCallDialog().then((module) => module.IncomingCallDialog));

function whenIdle(task: () => void): () => void {
  if (typeof window.requestIdleCallback === "function") {
    const handle = window.requestIdleCallback(task, { timeout: 5_000 });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = setTimeout(task, 1_000);
  return () => clearTimeout(timer);
}

/** Everything a call shows, mounted once in the shell so it follows the user across pages. */
export function CallLayer() {
  const hasCall = useCallStore((state) => state.call !== null);

  useEffect(
    () =>
      whenIdle(() => {
        void loadCallView();
        void loadIncomingCallDialog();
      }),
    [],
  );

  if (!hasCall) return null;
  return (
    <>
      <IncomingCallDialog />
      <CallView />
    </>
  );
}

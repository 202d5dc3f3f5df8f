"use client";

import dynamic from "next/dynamic";
import { useEffect } from "react";

import { useCallStore } from "@/lib/stores/call-store";
import { whenIdle } from "@/lib/when-idle";

// The call UI is not part of a page's first load; it is fetched once the page is idle, so a ring
// that arrives later does not wait for the network.
const loadCallView = () => import("./call-view");
const loadIncomingCallDialog = () => import("./incoming-call-dialog");
const CallView = dynamic(() => loadCallView().then((module) => module.CallView));
const IncomingCallDialog = dynamic(() => loadIncomingCallDialog().then((module) => module.IncomingCallDialog));

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

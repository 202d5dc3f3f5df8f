"use client";

import { CallView } from "./call-view";
import { IncomingCallDialog } from "./incoming-call-dialog";

/** Everything a call shows, mounted once in the shell so it follows the user across pages. */
export function CallLayer() {
  return (
    <>
      <IncomingCallDialog />
      <CallView />
    </>
  );
}

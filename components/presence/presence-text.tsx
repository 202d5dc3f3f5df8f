"use client";

import { useNow } from "@/hooks/use-now";
import type { PresenceDto } from "@/lib/realtime/protocol";
import { customStatusOf, describeStatus, liveLabel } from "./presence-format";

// Only offline rows tick: "last seen 5 min ago" is the one text that ages.
const LAST_SEEN_REFRESH_MS = 30_000;

function OfflineText({ presence }: { presence: PresenceDto }) {
  const now = useNow(LAST_SEEN_REFRESH_MS);
  return <>{describeStatus(presence, now)}</>;
}

/** "Online", "Offline · last seen 5 min ago", followed by " · 🌴 On holiday" when a custom status is set. */
export function PresenceText({ presence }: { presence: PresenceDto }) {
  const custom = customStatusOf(presence);
  return (
    <>
      {presence.status === "offline" ? <OfflineText presence={presence} /> : liveLabel(presence)}
      {custom ? (
        <>
          {" · "}
          {custom}
        </>
      ) : null}
    </>
  );
}

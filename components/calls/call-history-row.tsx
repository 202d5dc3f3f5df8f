import { clsx } from "clsx";

import { formatFullDate } from "@/components/chat/format";
import { Avatar } from "@/components/ui/avatar";
import { callDescription, callOutcomeText, callPeerLabel } from "@/lib/calls/call-text";
import type { CallHistoryItemDto } from "@/lib/realtime/protocol";
import { PhoneIcon, VideoIcon } from "./call-icons";

const UNHAPPY = new Set(["missed", "declined", "busy", "failed"]);

/** One call: with whom ("Match · <alias>" for an anonymous match call), audio or video, direction, outcome and duration, and when. */
export function CallHistoryRow({ item }: { item: CallHistoryItemDto }) {
  const peer = item.direction === "outgoing" ? item.callee : item.caller;
  const KindIcon = item.kind === "video" ? VideoIcon : PhoneIcon;
  return (
    <li
      className="flex items-center gap-3 py-3"
      data-testid="call-history-item"
      data-call-id={item.id}
      data-outcome={item.outcome ?? item.status}
      data-direction={item.direction}
      data-duration={item.durationSeconds}
      data-match={item.match ? "true" : undefined}
    >
      <Avatar name={peer.name} color={peer.avatarColor} />
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-medium">{callPeerLabel(item)}</p>
        <p className="flex items-center gap-1.5 truncate text-xs text-slate-500 dark:text-slate-400">
          <KindIcon className="h-3.5 w-3.5 shrink-0" />
          {callDescription(item)}
        </p>
      </div>
      <div className="flex shrink-0 flex-col items-end gap-0.5 text-right">
        <span className={clsx("text-sm", item.outcome && UNHAPPY.has(item.outcome) ? "text-red-700 dark:text-red-400" : "text-slate-700 dark:text-slate-200")} data-testid="call-outcome">
          {callOutcomeText(item)}
        </span>
        <time dateTime={item.createdAt} className="text-xs text-slate-500 dark:text-slate-400">
          {formatFullDate(item.createdAt)}
        </time>
      </div>
    </li>
  );
}

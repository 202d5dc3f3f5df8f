import { clsx } from "clsx";

import type { PresenceStatus } from "@/lib/realtime/protocol";
import { STATUS_LABELS } from "./presence-format";

const COLORS: Record<PresenceStatus | "invisible", string> = {
  online: "bg-emerald-500",
  away: "bg-amber-400",
  dnd: "bg-red-500",
  // Hollow: "not here" must not read as just another color.
  offline: "bg-white border-2 border-slate-400 dark:bg-slate-900 dark:border-slate-500",
  invisible: "bg-white border-2 border-slate-400 dark:bg-slate-900 dark:border-slate-500",
};

const SIZES = { sm: "h-2.5 w-2.5", md: "h-3 w-3", lg: "h-4 w-4" } as const;

type StatusDotProps = {
  /** "invisible" only for one's own status, which others see as offline. */
  status: PresenceStatus | "invisible";
  size?: keyof typeof SIZES;
  /** Hidden from assistive technology when the same status is written out next to it. */
  isDecorative?: boolean;
  className?: string;
};

/** A colored dot for a presence status, named for screen readers ("Online") and on hover. */
export function StatusDot({ status, size = "md", isDecorative = false, className }: StatusDotProps) {
  const label = status === "invisible" ? "Invisible" : STATUS_LABELS[status];
  return (
    <span
      {...(isDecorative ? { "aria-hidden": true } : { role: "img", "aria-label": label })}
      title={label}
      data-status={status}
      className={clsx("inline-flex shrink-0 items-center justify-center rounded-full ring-2 ring-white dark:ring-slate-950", COLORS[status], SIZES[size], className)}
    >
      {/* A bar through the red dot, so busy differs from online by shape too, not only by color. */}
      {status === "dnd" ? <span className="h-0.5 w-1/2 rounded-full bg-white" /> : null}
    </span>
  );
}

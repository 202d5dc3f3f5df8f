"use client";

import { useId } from "react";

import type { OwnPresenceDto, PresenceMode } from "@/lib/realtime/protocol";
import { statusInput } from "./custom-status";
import { customStatusOf } from "./presence-format";
import { StatusDot } from "./status-dot";
import { useSetOwnStatus } from "./use-set-own-status";

const MODES: { mode: PresenceMode; label: string; dot: "online" | "dnd" | "invisible" }[] = [
  { mode: "auto", label: "Online", dot: "online" },
  { mode: "dnd", label: "Do not disturb", dot: "dnd" },
  { mode: "invisible", label: "Invisible", dot: "invisible" },
];

const itemClass =
  "flex w-full items-center gap-2 px-3 py-2 text-left hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:outline-none aria-disabled:cursor-not-allowed aria-disabled:opacity-60 dark:hover:bg-slate-800 dark:focus-visible:bg-slate-800";

/**
 * The status part of the account menu: the mode as radio items, then the custom status. Disabled
 * until the server has sent the user's own status, since every change must carry the other half.
 */
export function StatusMenuSection({ own, onDone, onEditCustom }: { own: OwnPresenceDto | null; onDone: () => void; onEditCustom: () => void }) {
  const setOwnStatus = useSetOwnStatus();
  const labelId = useId();
  const custom = own ? customStatusOf(own) : null;

  return (
    <div role="group" aria-labelledby={labelId} className="border-b border-slate-200 py-1 dark:border-slate-700">
      <p id={labelId} className="px-3 pb-1 pt-1.5 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
        Status
      </p>
      {MODES.map(({ mode, label, dot }) => (
        <button
          key={mode}
          type="button"
          role="menuitemradio"
          aria-checked={own?.mode === mode}
          aria-disabled={own === null || undefined}
          onClick={() => {
            if (!own) return;
            onDone();
            if (own.mode !== mode) void setOwnStatus(statusInput(mode, own));
          }}
          className={itemClass}
        >
          <span className="flex w-5 justify-center">
            <StatusDot status={dot} size="sm" isDecorative />
          </span>
          <span className="flex-1">{label}</span>
          {own?.mode === mode ? (
            <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 fill-current text-indigo-600 dark:text-indigo-400">
              <path d="m8 13.2-3.6-3.6L3 11l5 5 9-9-1.4-1.4z" />
            </svg>
          ) : null}
        </button>
      ))}
      <button
        type="button"
        role="menuitem"
        aria-disabled={own === null || undefined}
        onClick={() => {
          if (own) onEditCustom();
        }}
        className={itemClass}
      >
        <span aria-hidden="true" className="w-5 text-center">
          {own?.customEmoji ?? ""}
        </span>
        <span className="flex min-w-0 flex-1 flex-col">
          <span>{custom ? "Edit custom status" : "Set a custom status"}</span>
          {/* Part of the item's name: "Edit custom status, 🌴 On holiday". */}
          {custom ? <span className="truncate text-xs text-slate-500 dark:text-slate-400">{custom}</span> : null}
        </span>
      </button>
    </div>
  );
}

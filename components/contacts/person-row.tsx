"use client";

import { useId, type ReactNode } from "react";

import { PresenceAvatar } from "@/components/presence/presence-avatar";
import { PresenceText } from "@/components/presence/presence-text";
import { usePresence } from "@/hooks/use-presence";
import type { PublicUserDto } from "@/lib/realtime/protocol";

/**
 * One person in a list: avatar, name, a status line and actions. The actions are labelled by
 * their verb ("Accept", "Block") and described by the name, so each is findable by role and
 * still announced with whom it concerns. The avatar carries the person's live status dot when
 * their presence is known.
 */
export function PersonRow({
  user,
  status,
  showsPresence = false,
  actions,
}: {
  user: PublicUserDto;
  status?: ReactNode;
  /** Writes the live status ("Away", "Offline · last seen …", the custom status) before `status`. */
  showsPresence?: boolean;
  actions?: (describedBy: string) => ReactNode;
}) {
  const nameId = useId();
  const presence = usePresence(user.id);
  const presenceText = showsPresence && presence ? <PresenceText presence={presence} /> : null;
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-2 py-2.5" data-testid="person-row" data-user-id={user.id}>
      <PresenceAvatar userId={user.id} name={user.name} color={user.avatarColor} isStatusDecorative={presenceText !== null} />
      {/* The name's basis decides when the actions no longer fit beside it and wrap below. */}
      <div className="min-w-0 grow basis-40">
        <p id={nameId} className="truncate text-sm font-medium">
          {user.name}
        </p>
        {presenceText || status ? (
          <p className="truncate text-xs text-slate-500 dark:text-slate-400">
            {presenceText}
            {presenceText && status ? " · " : null}
            {status}
          </p>
        ) : null}
      </div>
      {actions ? <div className="ml-auto flex flex-wrap justify-end gap-2 empty:hidden">{actions(nameId)}</div> : null}
    </li>
  );
}

export const smallButton =
  "inline-flex items-center justify-center rounded-md px-2.5 py-1.5 text-xs font-medium transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:cursor-not-allowed disabled:opacity-60";
export const smallPrimary = `${smallButton} bg-indigo-600 text-white hover:bg-indigo-500`;
export const smallSecondary = `${smallButton} border border-slate-300 text-slate-700 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800`;
export const smallDanger = `${smallButton} text-red-700 hover:bg-red-50 dark:text-red-400 dark:hover:bg-red-950`;

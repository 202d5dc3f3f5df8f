"use client";

import { clsx } from "clsx";

import { Avatar } from "@/components/ui/avatar";
import type { PublicUserDto } from "@/lib/realtime/protocol";

export const MAX_MENTION_OPTIONS = 8;

/** Members whose name starts with the query first, then those containing it; at most eight. */
export function filterMembers(members: readonly PublicUserDto[], query: string): PublicUserDto[] {
  const needle = query.trim().toLowerCase();
  const starts: PublicUserDto[] = [];
  const contains: PublicUserDto[] = [];
  for (const member of members) {
    const name = member.name.toLowerCase();
    if (name.startsWith(needle) || name.split(/\s+/).some((part) => part.startsWith(needle))) starts.push(member);
    else if (name.includes(needle)) contains.push(member);
  }
  return [...starts, ...contains].slice(0, MAX_MENTION_OPTIONS);
}

export const mentionOptionId = (listId: string, userId: string) => `${listId}-${userId}`;

type MentionPickerProps = {
  id: string;
  options: readonly PublicUserDto[];
  activeIndex: number;
  onSelect: (member: PublicUserDto) => void;
  onHover: (index: number) => void;
};

/**
 * The listbox under an `@` in the composer. Focus stays in the textarea (aria-activedescendant
 * points here): arrows move, Enter or Tab picks, Escape closes; the keys are handled by the composer.
 */
export function MentionPicker({ id, options, activeIndex, onSelect, onHover }: MentionPickerProps) {
  return (
    <ul
      id={id}
      role="listbox"
      aria-label="Mention someone"
      className="absolute bottom-full left-0 z-20 mb-2 max-h-72 w-72 max-w-[calc(100vw-2rem)] overflow-y-auto rounded-lg border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
    >
      {options.length === 0 ? (
        <li role="option" aria-selected={false} aria-disabled="true" className="px-3 py-2 text-sm text-slate-500">
          No matching members
        </li>
      ) : (
        options.map((member, index) => (
          <li
            key={member.id}
            id={mentionOptionId(id, member.id)}
            role="option"
            aria-selected={index === activeIndex}
            // mousedown, not click: the textarea must keep focus and its caret.
            onMouseDown={(event) => {
              event.preventDefault();
              onSelect(member);
            }}
            onMouseEnter={() => onHover(index)}
            className={clsx(
              "flex cursor-pointer items-center gap-2 px-3 py-1.5 text-sm",
              index === activeIndex ? "bg-indigo-50 text-indigo-900 dark:bg-indigo-500/20 dark:text-indigo-100" : "text-slate-800 dark:text-slate-200",
            )}
          >
            <Avatar name={member.name} color={member.avatarColor} size="sm" />
            <span className="truncate">{member.name}</span>
          </li>
        ))
      )}
    </ul>
  );
}

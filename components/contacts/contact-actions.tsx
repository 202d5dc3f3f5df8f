"use client";

import type { PublicUserDto } from "@/lib/realtime/protocol";
import { smallDanger, smallPrimary, smallSecondary } from "./person-row";
import type { useContactActions } from "./use-contact-actions";
import type { RelationInfo } from "./use-relations";

type Actions = ReturnType<typeof useContactActions>;

export const RELATION_LABELS: Record<RelationInfo["relation"], string> = {
  self: "You",
  contact: "Contact",
  incoming: "Wants to add you",
  outgoing: "Request sent",
  blocked: "Blocked",
  none: "",
};

/** The buttons that make sense for how the user relates to this person right now. */
export function ContactActions({
  user,
  info,
  actions,
  describedBy,
  variant = "full",
}: {
  user: PublicUserDto;
  info: RelationInfo;
  actions: Actions;
  describedBy: string;
  /** "focused": only the actions of the list the row is in (a request row: answer or cancel it). */
  variant?: "full" | "focused";
}) {
  const isFull = variant === "full";
  const disabled = actions.isBusy(user.id);
  const common = { type: "button" as const, disabled, "aria-describedby": describedBy };
  const { relation, request } = info;

  if (relation === "self") return null;
  if (relation === "blocked") {
    return (
      <button {...common} className={smallSecondary} onClick={() => void actions.unblock(user)}>
        Unblock
      </button>
    );
  }
  return (
    <>
      {relation === "none" ? (
        <button {...common} className={smallPrimary} onClick={() => void actions.addContact(user)}>
          Add contact
        </button>
      ) : null}
      {relation === "outgoing" && request ? (
        <button {...common} className={smallSecondary} onClick={() => void actions.cancelRequest(request)}>
          Cancel request
        </button>
      ) : null}
      {relation === "incoming" && request ? (
        <>
          <button {...common} className={smallPrimary} onClick={() => void actions.respond(request, true)}>
            Accept
          </button>
          <button {...common} className={smallSecondary} onClick={() => void actions.respond(request, false)}>
            Decline
          </button>
        </>
      ) : null}
      {relation !== "incoming" && (isFull || relation === "contact") ? (
        <button {...common} className={smallSecondary} onClick={() => void actions.message(user)}>
          Message
        </button>
      ) : null}
      {isFull || relation === "contact" ? (
        <button {...common} className={smallDanger} onClick={() => void actions.block(user)}>
          Block
        </button>
      ) : null}
    </>
  );
}

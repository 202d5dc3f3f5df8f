"use client";

import { Avatar } from "@/components/ui/avatar";
import { usePresence } from "@/hooks/use-presence";
import { StatusDot } from "./status-dot";

type PresenceAvatarProps = {
  userId: string;
  name: string;
  color?: string | null;
  size?: "sm" | "md" | "lg";
  /** True where the status is also written out in text beside the avatar. */
  isStatusDecorative?: boolean;
};

/** A person's avatar with their live status dot; no dot while their presence is unknown. */
export function PresenceAvatar({ userId, name, color, size = "md", isStatusDecorative = false }: PresenceAvatarProps) {
  const presence = usePresence(userId);
  return (
    <span className="relative inline-flex shrink-0">
      <Avatar name={name} color={color} size={size} />
      {presence ? (
        <StatusDot status={presence.status} size={size} isDecorative={isStatusDecorative} className="absolute -bottom-0.5 -right-0.5" />
      ) : null}
    </span>
  );
}

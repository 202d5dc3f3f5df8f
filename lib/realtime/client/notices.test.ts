import { beforeEach, describe, expect, it, vi } from "vitest";

import type { FriendRequestDto, OwnPresenceDto } from "@/lib/realtime/protocol";
import { initialPresenceState, usePresenceStore } from "@/lib/stores/presence-store";
import { noticeFriendRequest } from "./notices";

const toast = vi.hoisted(() => vi.fn());
vi.mock("sonner", () => ({ toast }));

const request: FriendRequestDto = {
  id: "r1",
  from: { id: "u-alice", name: "Alice", avatarColor: "#123456" },
  to: { id: "u-bob", name: "Bob", avatarColor: "#654321" },
  status: "pending",
  createdAt: "2026-01-01T10:00:00.000Z",
};

function own(mode: OwnPresenceDto["mode"]): OwnPresenceDto {
  return { userId: "u-bob", status: mode === "dnd" ? "dnd" : "online", customText: null, customEmoji: null, lastSeenAt: null, mode, expiresAt: null };
}

describe("notices", () => {
  beforeEach(() => {
    toast.mockClear();
    usePresenceStore.setState(initialPresenceState);
  });

  it("show a toast while the user is available", () => {
    usePresenceStore.getState().setOwn(own("auto"));
    noticeFriendRequest(request);
    expect(toast).toHaveBeenCalledWith("Alice sent you a contact request", expect.objectContaining({ id: "request:r1" }));
  });

  it("are silenced while the user is in Do not disturb", () => {
    usePresenceStore.getState().setOwn(own("dnd"));
    noticeFriendRequest(request);
    expect(toast).not.toHaveBeenCalled();
  });
});

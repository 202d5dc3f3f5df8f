import { beforeEach, describe, expect, it, vi } from "vitest";

import { notificationFixture } from "@/lib/notifications/notification-fixture";
import type { OwnPresenceDto } from "@/lib/realtime/protocol";
import { initialPresenceState, usePresenceStore } from "@/lib/stores/presence-store";
import { noticeNotification } from "./notices";

const toast = vi.hoisted(() => vi.fn());
vi.mock("sonner", () => ({ toast }));

const request = notificationFixture({ id: "n-req", kind: "friend_request", conversationId: null, seq: null, actor: { id: "u-alice", name: "Alice", avatarColor: "#123456" } });

function own(mode: OwnPresenceDto["mode"]): OwnPresenceDto {
  return { userId: "u-bob", status: mode === "dnd" ? "dnd" : "online", customText: null, customEmoji: null, lastSeenAt: null, inCall: false, mode, expiresAt: null };
}

describe("notices", () => {
  beforeEach(() => {
    toast.mockClear();
    usePresenceStore.setState(initialPresenceState);
  });

  it("show one toast per notification while the user is available", () => {
    usePresenceStore.getState().setOwn(own("auto"));
    noticeNotification(request);
    expect(toast).toHaveBeenCalledWith("Alice sent you a contact request", expect.objectContaining({ id: "notification:n-req" }));
  });

  it("are silenced while the user is in Do not disturb", () => {
    usePresenceStore.getState().setOwn(own("dnd"));
    noticeNotification(request);
    expect(toast).not.toHaveBeenCalled();
  });

  it("are not shown for a notification already read (on another device)", () => {
    noticeNotification({ ...request, readAt: "2030-01-01T10:00:00.000Z" });
    expect(toast).not.toHaveBeenCalled();
  });
});

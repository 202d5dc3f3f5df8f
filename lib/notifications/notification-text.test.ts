import { describe, expect, it } from "vitest";

import { bellLabel, notificationDetail, notificationHref, notificationText, titleWithCount } from "./notification-text";
import { notificationFixture as notification } from "./notification-fixture";

describe("notificationText", () => {
  it("says what happened, per kind", () => {
    expect(notificationText(notification())).toBe("Ana: hello");
    expect(notificationText(notification({ count: 20 }))).toBe("Ana: hello (+19 more)");
    expect(notificationText(notification({ kind: "mention", title: "Crew" }))).toBe("Ana mentioned you in Crew");
    expect(notificationText(notification({ kind: "reply", title: null }))).toBe("Ana replied to you");
    expect(notificationText(notification({ kind: "reaction", preview: "👍" }))).toBe("Ana reacted 👍");
    expect(notificationText(notification({ kind: "reaction", preview: "👍", count: 2 }))).toBe("Ana and 1 other reacted 👍");
    expect(notificationText(notification({ kind: "reaction", preview: "👍", count: 3 }))).toBe("Ana and 2 others reacted 👍");
    expect(notificationText(notification({ kind: "friend_request" }))).toBe("Ana sent you a contact request");
    expect(notificationText(notification({ kind: "friend_accepted" }))).toBe("Ana accepted your contact request");
    expect(notificationText(notification({ kind: "added_to_group", title: "Crew" }))).toBe("Ana added you to Crew");
    expect(notificationText(notification({ kind: "missed_call" }))).toBe("Missed call from Ana");
    expect(notificationText(notification({ kind: "announcement", actor: null, preview: "Maintenance at 6" }))).toBe("Maintenance at 6");
  });

  it("falls back when the actor or the preview is missing", () => {
    expect(notificationText(notification({ actor: null, preview: null }))).toBe("Someone: sent an attachment");
  });

  it("adds a detail line only where the sentence leaves something out", () => {
    expect(notificationDetail(notification({ kind: "reply", preview: "sure" }))).toBe("sure");
    expect(notificationDetail(notification())).toBeNull(); // a direct chat's title is the actor
    expect(notificationDetail(notification({ title: "Crew" }))).toBe("Crew");
  });
});

describe("notificationHref", () => {
  it("opens the conversation at the message, the contacts page, or nothing", () => {
    expect(notificationHref(notification())).toBe("/chat/c1?seq=7");
    expect(notificationHref(notification({ kind: "added_to_group", seq: null }))).toBe("/chat/c1");
    expect(notificationHref(notification({ kind: "friend_request", conversationId: null }))).toBe("/contacts");
    expect(notificationHref(notification({ kind: "announcement", conversationId: null }))).toBeNull();
  });
});

describe("titleWithCount and bellLabel", () => {
  it("prefixes the count once and removes it at zero", () => {
    expect(titleWithCount("Parley", 3)).toBe("(3) Parley");
    expect(titleWithCount("(3) Parley", 4)).toBe("(4) Parley");
    // A page without a title yet: the browser trims "(3) " to "(3)"; counts never stack.
    expect(titleWithCount("", 3)).toBe("(3) Parley");
    expect(titleWithCount("(3)", 4)).toBe("(4) Parley");
    expect(titleWithCount("(76) (76) Chat · Parley", 53)).toBe("(53) Chat · Parley");
    expect(titleWithCount("(53) (76)", 0)).toBe("");
    expect(titleWithCount("(4) Chat · Parley", 0)).toBe("Chat · Parley");
    expect(titleWithCount("Parley", 150)).toBe("(99+) Parley");
    expect(titleWithCount("(99+) Parley", 2)).toBe("(2) Parley");
  });

  it("names the bell with the count", () => {
    expect(bellLabel(0)).toBe("Notifications");
    expect(bellLabel(3)).toBe("Notifications, 3 unread");
  });
});

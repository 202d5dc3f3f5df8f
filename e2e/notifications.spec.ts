import type { Page } from "@playwright/test";

import { signInAdmin } from "./support/admin";
import { expect, openConversation, send, test, type Participant } from "./support/chat-fixtures";


async function openApp(page: Page): Promise<void> {
  await page.goto("/");
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
}

function bell(page: Page) {
  return page.getByTestId("notification-bell");
}

function toast(page: Page, text: string) {
  return page.locator("[data-sonner-toast]").filter({ hasText: text });
}

async function openPanel(page: Page) {
  await bell(page).click();
  return page.getByRole("dialog", { name: "Notifications" });
}


/** Bob with a second tab in the same browser context, both on the conversation list, away from any chat. */
async function bobInTwoTabs(bob: Participant): Promise<[Page, Page]> {
  const second = await bob.context.newPage();
  await Promise.all([openApp(bob.page), openApp(second)]);
  return [bob.page, second];
}

test.describe("[NOTIFICATIONS]: bell, toasts, cross-tab sync, announcements", () => {
  test("a message to B away from the conversation rings the bell in both tabs; reading in one tab clears the other", async ({ join, openDirect }) => {
    const [alice, bob] = await Promise.all([join("Alice"), join("Bob")]);
    const conversation = await openDirect(alice, bob);
    const [bobFirst, bobSecond] = await bobInTwoTabs(bob);
    for (const page of [bobFirst, bobSecond]) await expect(bell(page)).toHaveAccessibleName("Notifications");

    await openConversation(alice.page, conversation.id);
    const text = `Are you there? ${Date.now()}`;
    await send(alice.page, text);

    for (const page of [bobFirst, bobSecond]) {
      await expect(bell(page)).toHaveAccessibleName("Notifications, 1 unread");
      await expect(page.getByTestId("notification-badge")).toHaveText("1");
      await expect(page).toHaveTitle(/^\(1\) /);
    }
    await expect(toast(bobFirst, `${alice.user.name}: ${text}`)).toBeVisible();
    // Alice looks at the conversation she writes in: nothing for her.
    await expect(bell(alice.page)).toHaveAccessibleName("Notifications");

    // Bob reads it from the second tab's panel: the click opens the message and marks it read.
    const panel = await openPanel(bobSecond);
    const item = panel.getByTestId("notification-item").filter({ hasText: text });
    await expect(item).toHaveAttribute("data-unread", "true");
    await item.getByRole("button", { name: `Unread: ${alice.user.name}: ${text}` }).click();
    await expect(bobSecond).toHaveURL((url) => url.pathname === `/chat/${conversation.id}`);
    await expect(bobSecond.getByTestId("chat-message").filter({ hasText: text })).toBeVisible();

    // The first tab never touched it, and its badge is gone too.
    await expect(bell(bobFirst)).toHaveAccessibleName("Notifications");
    await expect(bobFirst.getByTestId("notification-badge")).toHaveCount(0);
    await expect(bobFirst).not.toHaveTitle(/^\(\d+\)/);
    const firstPanel = await openPanel(bobFirst);
    await expect(firstPanel.getByTestId("notification-item").filter({ hasText: text })).toHaveAttribute("data-unread", "false");

    // Muting from the conversation header shows in that header and in the other tab's list.
    await bobSecond.getByRole("button", { name: "Mute notifications" }).click();
    await bobSecond.getByRole("menu", { name: "Mute conversation" }).getByRole("menuitem", { name: "Mute for 1 hour" }).click();
    await expect(bobSecond.getByRole("main").getByRole("img", { name: /^Muted until / })).toBeVisible();
    const listItem = bobFirst.getByRole("navigation", { name: "Conversations" }).getByRole("link", { name: alice.user.name });
    await expect(listItem.getByRole("img", { name: /^Muted until / })).toBeVisible();
  });

  test("an admin announcement reaches B live; Mark all read clears it in B's other tab", async ({ browser, baseURL, join }) => {
    const bob = await join("Bob");
    const [bobFirst, bobSecond] = await bobInTwoTabs(bob);
    const adminContext = await signInAdmin(browser, baseURL!);
    try {
      const admin = await adminContext.newPage();
      await openApp(admin);
      await admin.getByRole("button", { name: "Account menu" }).click();
      await admin.getByRole("menu", { name: "Account" }).getByRole("menuitem", { name: "Send announcement" }).click();
      const dialog = admin.getByRole("dialog", { name: "Send announcement" });
      const text = `Maintenance tonight at 22:00 (${Date.now()})`;
      await dialog.getByLabel("Announcement").fill(text);
      await dialog.getByRole("button", { name: "Send" }).click();
      await expect(dialog).toBeHidden();

      await expect(toast(bobFirst, text)).toBeVisible();
      for (const page of [bobFirst, bobSecond]) await expect(bell(page)).toHaveAccessibleName("Notifications, 1 unread");

      const panel = await openPanel(bobFirst);
      await expect(panel.getByTestId("notification-item").filter({ hasText: text })).toHaveAttribute("data-unread", "true");
      await panel.getByRole("button", { name: "Mark all read" }).click();
      await expect(panel.getByTestId("notification-item").filter({ hasText: text })).toHaveAttribute("data-unread", "false");
      await expect(bell(bobSecond)).toHaveAccessibleName("Notifications");
      await expect(bobSecond).not.toHaveTitle(/^\(\d+\)/);
    } finally {
      await adminContext.close();
    }
  });
});

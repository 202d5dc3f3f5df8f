import type { Page } from "@playwright/test";

import type { ConversationDto } from "../lib/realtime/protocol";
import { expect, openConversation, test, type Participant } from "./support/chat-fixtures";

// The server announces "offline" after PRESENCE_OFFLINE_GRACE_MS (5 s by default) without sockets.
const OFFLINE_TIMEOUT_MS = 15_000;

async function openApp(participant: Participant): Promise<void> {
  await participant.page.goto("/");
  await expect(participant.page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
}

function conversationLink(page: Page, title: string) {
  return page.getByRole("navigation", { name: "Conversations" }).getByRole("link", { name: title });
}

async function openAccountMenu(page: Page) {
  await page.getByRole("button", { name: "Account menu" }).click();
  return page.getByRole("menu", { name: "Account" });
}

/**
 * Alice has her direct conversation with Bob open while Bob has the app open: returns what Alice
 * sees of Bob (the header's status line and his row in her conversation list), once it says Online.
 */
async function aliceWatchingBob(join: (name: string) => Promise<Participant>, openDirect: (from: Participant, to: Participant) => Promise<ConversationDto>) {
  const [alice, bob] = await Promise.all([join("Alice"), join("Bob")]);
  const conversation = await openDirect(alice, bob);
  await openConversation(alice.page, conversation.id);
  await openApp(bob);
  const subtitle = alice.page.getByTestId("conversation-subtitle");
  await expect(subtitle).toHaveText("Online");
  return { alice, bob, subtitle, listItem: conversationLink(alice.page, bob.user.name) };
}

test.describe("[PRESENCE]: live status", () => {
  test("a contact shows Online, then Offline with last seen once all their pages are closed", async ({ join, openDirect }) => {
    const { alice, bob, subtitle, listItem } = await aliceWatchingBob(join, openDirect);
    await expect(listItem.getByRole("img", { name: "Online", exact: true })).toBeVisible();
    await alice.page.getByRole("button", { name: "Conversation details" }).click();
    const online = alice.page.getByTestId("members-online");
    const bobRow = alice.page.getByRole("list", { name: "Members" }).getByRole("listitem").filter({ hasText: bob.user.name });
    await expect(online).toHaveText("2 online");
    await expect(bobRow).toContainText("Online");

    await bob.context.close();
    await expect(subtitle).toHaveText(/^Offline · last seen (just now|\d+ min ago)$/, { timeout: OFFLINE_TIMEOUT_MS });
    await expect(listItem.getByRole("img", { name: "Offline", exact: true })).toBeVisible();
    await expect(online).toHaveText("1 online");
    await expect(bobRow).toContainText("Offline · last seen");
  });

  test("Do not disturb and a custom status set in the account menu show live on the other side", async ({ join, openDirect }) => {
    const { bob, subtitle, listItem } = await aliceWatchingBob(join, openDirect);

    await (await openAccountMenu(bob.page)).getByRole("menuitemradio", { name: "Do not disturb" }).click();
    await expect(subtitle).toHaveText("Do not disturb");
    await expect(listItem.getByRole("img", { name: "Do not disturb", exact: true })).toBeVisible();
    await expect(bob.page.getByRole("button", { name: "Account menu" })).toHaveAccessibleDescription("Do not disturb");

    await (await openAccountMenu(bob.page)).getByRole("menuitem", { name: "Set a custom status" }).click();
    const dialog = bob.page.getByRole("dialog", { name: "Set a custom status" });
    await dialog.getByLabel("Emoji", { exact: true }).fill("hi");
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog.getByRole("alert")).toContainText("Start with an emoji");
    await dialog.getByRole("group", { name: "Quick emoji" }).getByRole("button", { name: "🌴" }).click();
    await dialog.getByLabel("Status text").fill("On holiday");
    await dialog.getByLabel("Clear after").selectOption({ label: "1 hour" });
    await dialog.getByRole("button", { name: "Save" }).click();
    await expect(dialog).toBeHidden();

    // The custom status kept the mode, and the mode is shown with it.
    await expect(subtitle).toHaveText("Do not disturb · 🌴 On holiday");
    await expect(listItem.getByRole("img", { name: "Status: 🌴 On holiday" })).toBeVisible();

    // Back to Online keeps the custom status; clearing it keeps the mode.
    const menu = await openAccountMenu(bob.page);
    await expect(menu.getByRole("menuitemradio", { name: "Do not disturb" })).toHaveAttribute("aria-checked", "true");
    await menu.getByRole("menuitemradio", { name: "Online" }).click();
    await expect(subtitle).toHaveText("Online · 🌴 On holiday");

    await (await openAccountMenu(bob.page)).getByRole("menuitem", { name: "Edit custom status" }).click();
    await bob.page.getByRole("dialog", { name: "Edit custom status" }).getByRole("button", { name: "Clear status" }).click();
    await expect(subtitle).toHaveText("Online");
    await expect(listItem.getByRole("img", { name: /^Status:/ })).toHaveCount(0);
  });

  test("Do not disturb silences toasts", async ({ join, createGroup }) => {
    const [alice, bob] = await Promise.all([join("Alice"), join("Bob")]);
    await openApp(bob);

    // Control: without Do not disturb, being added to a group raises a toast.
    await createGroup(alice, "Loud room", [bob]);
    await expect(bob.page.getByText(`${alice.user.name} added you to Loud room`)).toBeVisible();

    await (await openAccountMenu(bob.page)).getByRole("menuitemradio", { name: "Do not disturb" }).click();
    await expect(bob.page.getByRole("button", { name: "Account menu" })).toHaveAccessibleDescription("Do not disturb");
    await createGroup(alice, "Quiet room", [bob]);
    // The toast would be raised in the same event handler that lists the conversation.
    await expect(conversationLink(bob.page, "Quiet room")).toBeVisible();
    await expect(bob.page.getByText(`${alice.user.name} added you to Quiet room`)).toHaveCount(0);
  });
});

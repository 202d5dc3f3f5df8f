import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";

import type { ConversationDto } from "../../lib/realtime/protocol";
import { newUser, registerViaApi, signInViaApi, type SeededUser } from "./api";
import { call, socketFor } from "./realtime";

export type Participant = { user: SeededUser; context: BrowserContext; page: Page; id: string };

type Fixtures = {
  /** Registers a user and opens a signed-in browser context for them (closed after the test). */
  join: (name: string) => Promise<Participant>;
  /** Arranges a conversation over a real socket of the first participant. */
  openDirect: (from: Participant, to: Participant) => Promise<ConversationDto>;
  createGroup: (admin: Participant, name: string, members: Participant[]) => Promise<ConversationDto>;
};

export const test = base.extend<Fixtures>({
  join: async ({ browser, baseURL }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (name) => {
      const user = newUser(name);
      const context = await browser.newContext({ baseURL });
      contexts.push(context);
      await registerViaApi(context.request, user);
      await signInViaApi(context.request, user);
      const socket = await socketFor(context.request, baseURL!);
      const me = await call<{ id: string }>(socket, "session:whoami", {});
      socket.disconnect();
      return { user, context, page: await context.newPage(), id: me.id };
    });
    await Promise.all(contexts.map((context) => context.close()));
  },
  openDirect: async ({ baseURL }, use) => {
    await use(async (from, to) => {
      const socket = await socketFor(from.context.request, baseURL!);
      try {
        return await call<ConversationDto>(socket, "conversation:open-direct", { userId: to.id });
      } finally {
        socket.disconnect();
      }
    });
  },
  createGroup: async ({ baseURL }, use) => {
    await use(async (admin, name, members) => {
      const socket = await socketFor(admin.context.request, baseURL!);
      try {
        return await call<ConversationDto>(socket, "conversation:create-group", { name, memberIds: members.map((member) => member.id) });
      } finally {
        socket.disconnect();
      }
    });
  },
});

export { expect };

export async function openConversation(page: Page, conversationId: string): Promise<void> {
  await page.goto(`/chat/${conversationId}`);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
  await expect(page.getByRole("textbox", { name: "Message" })).toBeVisible();
}

export async function send(page: Page, text: string): Promise<void> {
  const composer = page.getByRole("textbox", { name: "Message" });
  await composer.fill(text);
  await composer.press("Enter");
}

export function messages(page: Page) {
  return page.getByTestId("chat-message");
}

export function messageWithText(page: Page, text: string) {
  return page.getByTestId("chat-message").filter({ hasText: text });
}

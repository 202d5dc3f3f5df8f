import { E2E_PORT } from "./support/server-env";
import { expect, messages, openConversation, send, test } from "./support/chat-fixtures";
import { ownServer } from "./support/own-server";

// Its own process (the shared one cannot be restarted), on the port after the preview servers.
const server = ownServer(E2E_PORT + 3, `test-results/e2e-data-restart-${E2E_PORT}`);

test.use({ baseURL: server.url });
test.beforeAll(async () => server.start());
test.afterAll(async () => server.dispose());

test.describe("[RESILIENCE]: server restart", () => {
  test("mid-conversation: both sides heal without a reload; every message sent meanwhile arrives once, in order", async ({ join, openDirect }) => {
    const [alice, bob] = await Promise.all([join("Alice"), join("Bob")]);
    const conversation = await openDirect(alice, bob);
    await openConversation(alice.page, conversation.id);
    await openConversation(bob.page, conversation.id);
    await send(alice.page, "before the restart");
    await expect(messages(bob.page).filter({ hasText: "before the restart" })).toHaveCount(1);

    await server.stop();
    for (const page of [alice.page, bob.page]) {
      await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "reconnecting");
    }
    await expect(alice.page.getByRole("status").filter({ hasText: /Reconnecting in \d+ s/ })).toBeVisible();
    const written = { alice: ["alice 1", "alice 2", "alice 3"], bob: ["bob 1", "bob 2"] };
    for (const text of written.alice) await send(alice.page, text);
    for (const text of written.bob) await send(bob.page, text);
    await expect(alice.page.locator('[data-pending="true"]')).toHaveCount(3);
    await expect(bob.page.locator('[data-pending="true"]')).toHaveCount(2);

    await server.start();
    for (const page of [alice.page, bob.page]) {
      await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected", { timeout: 30_000 });
      await expect(page.locator('[data-pending="true"]')).toHaveCount(0, { timeout: 15_000 });
    }

    const everything = ["before the restart", ...written.alice, ...written.bob];
    const textsOn = async (page: typeof alice.page) => {
      const bodies = await messages(page).allInnerTexts();
      return everything.map((text) => ({ text, count: bodies.filter((body) => body.includes(text)).length, at: bodies.findIndex((body) => body.includes(text)) }));
    };
    for (const page of [alice.page, bob.page]) {
      await expect.poll(async () => (await textsOn(page)).every(({ count }) => count === 1), { timeout: 15_000 }).toBe(true);
    }
    const [onAlice, onBob] = [await textsOn(alice.page), await textsOn(bob.page)];
    // Each author's messages keep their order, and both sides see the same order.
    const order = (seen: typeof onAlice, texts: string[]) => texts.map((text) => seen.find((entry) => entry.text === text)!.at);
    for (const texts of [written.alice, written.bob]) {
      const positions = order(onAlice, texts);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
    expect(order(onBob, everything)).toEqual(order(onAlice, everything));

    // What the database holds is the same: once each, same order.
    await bob.page.reload();
    await expect(bob.page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
    await expect.poll(async () => order(await textsOn(bob.page), everything)).toEqual(order(onAlice, everything));
  });
});

import { samplePng } from "../test/support/sample-files";
import { expect, messages, messageWithText, openConversation, send, test } from "./support/chat-fixtures";

test.describe("[CHAT]: direct conversations", () => {
  test("a message appears live on the other side, with typing shown and cleared, then Seen", async ({ join, openDirect }) => {
    const [alice, bob] = await Promise.all([join("Alice"), join("Bob")]);
    const conversation = await openDirect(alice, bob);
    await openConversation(alice.page, conversation.id);
    await openConversation(bob.page, conversation.id);

    await alice.page.getByRole("textbox", { name: "Message" }).pressSequentially("hello b");
    const typing = bob.page.getByRole("status").filter({ hasText: "is typing" });
    await expect(typing).toHaveText(`${alice.user.name} is typing…`);

    await alice.page.getByRole("textbox", { name: "Message" }).press("Enter");
    await expect(messageWithText(bob.page, "hello b")).toHaveCount(1);
    await expect(typing).toHaveCount(0);
    // Bob has the conversation open, visible and focused: Alice sees that it was read.
    await bob.page.bringToFront();
    await expect(alice.page.getByTestId("read-receipt")).toHaveText("Seen");
  });

  test("edit, delete and a reaction show live on the other side", async ({ join, openDirect }) => {
    const [alice, bob] = await Promise.all([join("Alice"), join("Bob")]);
    const conversation = await openDirect(alice, bob);
    await openConversation(alice.page, conversation.id);
    await openConversation(bob.page, conversation.id);
    await send(alice.page, "first draft");
    await send(alice.page, "to be removed");
    await expect(messageWithText(bob.page, "to be removed")).toHaveCount(1);

    const draft = messageWithText(alice.page, "first draft");
    await draft.hover();
    await draft.getByRole("button", { name: "Edit" }).click();
    const editor = alice.page.getByRole("textbox", { name: "Edited text" });
    await editor.fill("final words");
    await editor.press("Enter");
    await expect(messageWithText(bob.page, "final words")).toContainText("edited");

    const doomed = messageWithText(alice.page, "to be removed");
    await doomed.hover();
    await doomed.getByRole("button", { name: "Delete" }).click();
    await alice.page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
    await expect(messageWithText(bob.page, "to be removed")).toHaveCount(0);
    await expect(bob.page.getByRole("log").getByText("Message deleted")).toBeVisible();

    const received = messageWithText(bob.page, "final words");
    await received.hover();
    await received.getByRole("button", { name: "React" }).click();
    await bob.page.getByRole("button", { name: "React with 👍" }).click();
    await expect(messageWithText(alice.page, "final words").getByRole("button", { name: /👍/ })).toContainText("1");
  });

  test("an image upload shows with a preview on the other side, and reload keeps history", async ({ join, openDirect }) => {
    const [alice, bob] = await Promise.all([join("Alice"), join("Bob")]);
    const conversation = await openDirect(alice, bob);
    await openConversation(alice.page, conversation.id);
    await openConversation(bob.page, conversation.id);

    const png = Buffer.from(samplePng(40, 30));
    await alice.page.locator('input[type="file"]').setInputFiles({ name: "gradient.png", mimeType: "image/png", buffer: png });
    // Sending waits for the upload: the Send button is enabled once the file is on the server.
    await alice.page.getByRole("textbox", { name: "Message" }).fill("look at this");
    await expect(alice.page.getByRole("button", { name: "Send" })).toBeEnabled();
    await alice.page.getByRole("button", { name: "Send" }).click();
    const image = messageWithText(bob.page, "look at this").getByRole("img");
    await expect(image).toBeVisible();
    await expect(image).toHaveJSProperty("complete", true);
    expect(await image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBe(40);

    await bob.page.reload();
    await expect(messageWithText(bob.page, "look at this")).toHaveCount(1);
  });

  test("offline, a queued message is delivered exactly once when the connection returns", async ({ join, openDirect }) => {
    const [alice, bob] = await Promise.all([join("Alice"), join("Bob")]);
    const conversation = await openDirect(alice, bob);
    await openConversation(alice.page, conversation.id);
    await openConversation(bob.page, conversation.id);

    await alice.context.setOffline(true);
    await expect(alice.page.getByTestId("connection-status")).toHaveAttribute("data-state", "offline");
    await send(alice.page, "sent while offline");
    await expect(alice.page.locator('[data-pending="true"]')).toContainText("sent while offline");

    await alice.context.setOffline(false);
    await expect(messageWithText(bob.page, "sent while offline")).toHaveCount(1);
    await expect(alice.page.locator('[data-pending="true"]')).toHaveCount(0);
    await bob.page.reload();
    await expect(messageWithText(bob.page, "sent while offline")).toHaveCount(1);
  });

  test("five messages written offline survive a reload and are stored exactly five times; a double-click sends one", async ({ join, openDirect }) => {
    const [alice, bob] = await Promise.all([join("Alice"), join("Bob")]);
    const conversation = await openDirect(alice, bob);
    await openConversation(alice.page, conversation.id);

    await alice.context.setOffline(true);
    await expect(alice.page.getByTestId("connection-status")).toHaveAttribute("data-state", "offline");
    for (let index = 1; index <= 5; index += 1) await send(alice.page, `queued ${index}`);
    await expect(alice.page.locator('[data-pending="true"]')).toHaveCount(5);
    await alice.context.setOffline(false);
    await alice.page.reload();
    await expect(alice.page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
    await expect(alice.page.locator('[data-pending="true"]')).toHaveCount(0);

    await alice.page.getByRole("textbox", { name: "Message" }).fill("clicked twice");
    await alice.page.getByRole("button", { name: "Send" }).dblclick();

    await openConversation(bob.page, conversation.id);
    for (let index = 1; index <= 5; index += 1) await expect(messageWithText(bob.page, `queued ${index}`)).toHaveCount(1);
    await expect(messageWithText(bob.page, "clicked twice")).toHaveCount(1);
    await expect(messages(bob.page)).toHaveCount(6);
    const order = await messages(bob.page).allTextContents();
    expect(order.map((text) => /queued (\d)/.exec(text)?.[1] ?? "x").join("")).toBe("12345x");
  });
});

test.describe("[CHAT]: groups and contacts", () => {
  test("a group of three shows Seen by 2", async ({ join, createGroup }) => {
    const [alice, bob, carol] = await Promise.all([join("Alice"), join("Bob"), join("Carol")]);
    const group = await createGroup(alice, "Trio", [bob, carol]);
    await openConversation(alice.page, group.id);
    await send(alice.page, "hello both");
    await openConversation(bob.page, group.id);
    await bob.page.bringToFront();
    await expect(messageWithText(bob.page, "hello both")).toHaveCount(1);
    await openConversation(carol.page, group.id);
    await carol.page.bringToFront();
    await expect(messageWithText(carol.page, "hello both")).toHaveCount(1);
    await expect(alice.page.getByTestId("read-receipt")).toHaveText("Seen by 2");
  });

  test("a friend request is sent, shows up live, and is accepted", async ({ join }) => {
    const [alice, bob] = await Promise.all([join("Alice"), join("Bob")]);
    await alice.page.goto("/contacts");
    await bob.page.goto("/contacts");
    await expect(bob.page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");

    await alice.page.getByLabel("Search people").fill(bob.user.email);
    const found = alice.page.getByRole("list", { name: "People found" }).getByRole("listitem").filter({ hasText: bob.user.name });
    await found.getByRole("button", { name: "Add contact" }).click();

    const request = bob.page.getByRole("list", { name: "Received requests" }).getByRole("listitem").filter({ hasText: alice.user.name });
    await request.getByRole("button", { name: "Accept" }).click();
    await expect(alice.page.getByRole("list", { name: "Contacts" }).getByRole("listitem").filter({ hasText: bob.user.name })).toBeVisible();
  });
});

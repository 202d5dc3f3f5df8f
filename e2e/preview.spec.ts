import { expect, test } from "@playwright/test";

import { newUser, registerViaApi, signInViaApi } from "./support/api";

// This project runs against `next start` alone (no server.ts), pointed at an unreachable realtime server.
test.describe("[PREVIEW]: UI deployed without the realtime server", () => {
  test("renders the shell and shows Offline instead of crashing", async ({ page, context, request }) => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    const user = newUser("Ivan");
    await registerViaApi(request, user);
    await signInViaApi(context.request, user);

    await page.goto("/");
    const indicator = page.getByTestId("connection-status");
    await expect(indicator).toHaveAttribute("data-state", "offline");
    await expect(indicator).toContainText("Offline");
    await expect(page.getByRole("heading", { name: "Welcome to Parley" })).toBeVisible();
    expect(errors).toEqual([]);
  });
});

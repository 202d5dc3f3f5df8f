import { expect, test } from "@playwright/test";

import { newUser, registerViaApi, signInViaApi } from "./support/api";

// This project runs against `next start` on its own origin, with SOCKET_URL naming the real
// server.ts and that server listing this origin in ALLOWED_ORIGINS: the token route here signs,
// the realtime server there verifies.
test.describe("[PREVIEW]: UI deployed elsewhere, realtime server reachable", () => {
  test("connects across origins with the socket token", async ({ page, context, request }) => {
    const user = newUser("Judy");
    await registerViaApi(request, user);
    await signInViaApi(context.request, user);

    await page.goto("/");
    const indicator = page.getByTestId("connection-status");
    await expect(indicator).toHaveAttribute("data-state", "connected");
    await indicator.click();
    await expect(page.getByTestId("realtime-user")).toHaveText(user.name);
  });
});

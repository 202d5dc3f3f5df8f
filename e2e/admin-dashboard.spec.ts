import type { Browser, BrowserContext, Page } from "@playwright/test";

import { signInViaApi, type SeededUser } from "./support/api";
import { expect, test } from "./support/chat-fixtures";
import { call, socketFor } from "./support/realtime";
import { E2E_ADMIN_EMAIL } from "./support/server-env";

// ADMIN_EMAILS is fixed for the server's whole run: the same account (and password) as the other
// admin specs; whichever runs first registers it, the others sign in.
const ADMIN: SeededUser = { name: "Instance Admin", email: E2E_ADMIN_EMAIL, password: "e2e-admin-password-0123456789" };

async function signInAdmin(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL });
  const response = await context.request.post("/api/register", { data: ADMIN });
  // 409: already registered within this server run (another spec, or a repeat).
  if (response.status() !== 201 && response.status() !== 409) throw new Error(`admin register: ${response.status()} ${await response.text()}`);
  await signInViaApi(context.request, ADMIN);
  return context;
}

async function openApp(page: Page, path = "/"): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
}

const count = async (page: Page, testId: string): Promise<number> => Number(await page.getByTestId(testId).innerText());

test.describe("[ADMIN DASHBOARD]: live counts of the process, for administrators only", () => {
  test.describe.configure({ timeout: 45_000 });

  test("an admin sees live counts that follow people connecting; a normal user is refused", async ({ browser, baseURL, join }) => {
    // The admin registers first: on a fresh server the first account is an admin too, and that must never be Bob.
    const adminContext = await signInAdmin(browser, baseURL!);
    try {
      const bob = await join("Bob");
      const admin = await adminContext.newPage();
      await openApp(admin);
      await admin.getByRole("button", { name: "Account menu" }).click();
      await admin.getByRole("menu", { name: "Account" }).getByRole("menuitem", { name: "Admin dashboard" }).click();
      await expect(admin).toHaveURL((url) => url.pathname === "/admin");
      await expect(admin.getByRole("heading", { level: 1, name: "Admin dashboard" })).toBeVisible();
      await expect(admin.getByTestId("admin-dashboard")).toHaveAttribute("data-state", "live");
      await expect(admin.getByTestId("admin-process")).toContainText(/Process \S+:\d+/);

      // At least the admin's own tab is connected.
      await expect.poll(() => count(admin, "stat-connected-users")).toBeGreaterThanOrEqual(1);
      const users = await count(admin, "stat-connected-users");
      const sockets = await count(admin, "stat-open-sockets");

      // Bob opens the app: one more user and socket, live (the page polls).
      await openApp(bob.page);
      await expect.poll(() => count(admin, "stat-connected-users"), { timeout: 15_000 }).toBe(users + 1);
      await expect.poll(() => count(admin, "stat-open-sockets"), { timeout: 15_000 }).toBe(sockets + 1);
      await expect(admin.getByTestId("stat-active-calls")).toHaveText(/^\d+$/);
      await expect(admin.getByTestId("stat-match-queue")).toHaveText(/^\d+$/);
      await expect(admin.getByTestId("stat-error-rate")).toHaveText(/^[\d.]+$/);

      // A normal user at the address gets the notice and no figures; the menu does not offer the page.
      await openApp(bob.page, "/admin");
      await expect(bob.page.getByText("Only administrators can see this page.")).toBeVisible();
      await expect(bob.page.getByTestId("stat-connected-users")).toHaveCount(0);
      await bob.page.getByRole("button", { name: "Account menu" }).click();
      await expect(bob.page.getByRole("menu", { name: "Account" }).getByRole("menuitem", { name: "Admin dashboard" })).toHaveCount(0);
      // And the server refuses him, whatever the page shows.
      const bobSocket = await socketFor(bob.context.request, baseURL!);
      try {
        await expect(call(bobSocket, "admin:stats", {})).rejects.toThrow(/FORBIDDEN/);
      } finally {
        bobSocket.disconnect();
      }

      // Bob leaves: the count goes back down.
      await bob.page.close();
      await expect.poll(() => count(admin, "stat-connected-users"), { timeout: 15_000 }).toBe(users);
    } finally {
      await adminContext.close();
    }
  });
});

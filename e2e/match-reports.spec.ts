import type { Page } from "@playwright/test";

import type { MatchDto, MatchStatusDto, SessionUserDto } from "../lib/realtime/protocol";
import { signInAdmin } from "./support/admin";
import { expect, test } from "./support/chat-fixtures";
import { call, socketFor } from "./support/realtime";

// A language no other spec queues for, so these two can only be paired with each other.
const LANGUAGE = "vi";

type TestSocket = Awaited<ReturnType<typeof socketFor>>;


async function openApp(page: Page, path = "/"): Promise<void> {
  await page.goto(path);
  await expect(page.getByTestId("connection-status")).toHaveAttribute("data-state", "connected");
}

function matchFound(socket: TestSocket): Promise<MatchDto> {
  return new Promise((resolve) => socket.once("match:found", ({ match }) => resolve(match)));
}

/** Pairs two people over real sockets (same language and mood); resolves with each side's view once both heard `match:found`. */
async function matchOverSockets(a: TestSocket, b: TestSocket): Promise<[MatchDto, MatchDto]> {
  const found = Promise.all([matchFound(a), matchFound(b)]);
  const first = await call<MatchStatusDto>(a, "match:join", { mood: "chill", language: LANGUAGE });
  expect(first.state).toBe("queued");
  await call<MatchStatusDto>(b, "match:join", { mood: "chill", language: LANGUAGE });
  return found;
}

test.describe("[MATCH REPORTS]: administrators review reports about strangers", () => {
  test.describe.configure({ timeout: 30_000 });

  test("a report made after a match shows on the admin page with both accounts; others are refused", async ({ browser, baseURL, join }) => {
    // The admin registers first: on a fresh server the first account is an admin too, and that must
    // never be Alice or Bob (409 from signInAdmin means an earlier test already took that place).
    const adminContext = await signInAdmin(browser, baseURL!);
    try {
      const [alice, bob] = await Promise.all([join("Alice"), join("Bob")]);
      const [aliceSocket, bobSocket] = await Promise.all([socketFor(alice.context.request, baseURL!), socketFor(bob.context.request, baseURL!)]);
      const details = `Kept insulting me (${Date.now()})`;
      try {
        expect((await call<SessionUserDto>(bobSocket, "session:whoami", {})).role).toBe("user");
        const [aliceMatch, bobMatch] = await matchOverSockets(aliceSocket, bobSocket);
        expect(aliceMatch.id).toBe(bobMatch.id);

        // Alice hangs up and reports the stranger (Bob, though she only ever saw an alias).
        await call(aliceSocket, "call:hangup", { callId: aliceMatch.callId });
        const reported = await call<MatchDto>(aliceSocket, "match:report", { matchId: aliceMatch.id, reason: "harassment", details });
        expect(reported.reported).toBe(true);

        // The server refuses the list to a normal user outright.
        await expect(call(bobSocket, "match:reports", {})).rejects.toThrow(/FORBIDDEN/);
      } finally {
        aliceSocket.disconnect();
        bobSocket.disconnect();
      }

      // The admin finds the page from the account menu and sees the report with both accounts.
      const admin = await adminContext.newPage();
      await openApp(admin);
      await admin.getByRole("button", { name: "Account menu" }).click();
      await admin.getByRole("menu", { name: "Account" }).getByRole("menuitem", { name: "Match reports" }).click();
      await expect(admin).toHaveURL((url) => url.pathname === "/admin/reports");
      await expect(admin.getByRole("heading", { level: 1, name: "Match reports" })).toBeVisible();
      await expect(admin.getByRole("button", { name: "Refresh" })).toBeEnabled();

      const table = admin.getByRole("table", { name: "Match reports, newest first" });
      const row = table.getByRole("row").filter({ hasText: details });
      await expect(row).toHaveCount(1);
      const cells = row.getByRole("cell");
      await expect(cells.nth(1)).toHaveText("Harassment or bullying");
      await expect(cells.nth(2)).toHaveText(details);
      await expect(cells.nth(3)).toContainText(alice.user.name);
      await expect(cells.nth(3)).toContainText(alice.user.email);
      await expect(cells.nth(4)).toContainText(bob.user.name);
      await expect(cells.nth(4)).toContainText(bob.user.email);
      // Newest first: nothing reported since, so it leads the list.
      await expect(table.getByTestId("match-report").first()).toContainText(details);

      // Refresh reloads the first page and keeps the report.
      await admin.getByRole("button", { name: "Refresh" }).click();
      await expect(admin.getByRole("button", { name: "Refresh" })).toBeEnabled();
      await expect(row).toHaveCount(1);

      // A normal user who opens the address gets the notice and none of the data.
      await openApp(bob.page, "/admin/reports");
      await expect(bob.page.getByText("Only administrators can see this page.")).toBeVisible();
      await expect(bob.page.getByRole("table")).toHaveCount(0);
      await expect(bob.page.getByRole("button", { name: "Refresh" })).toHaveCount(0);
      const text = await bob.page.locator("body").innerText();
      expect(text).not.toContain(details);
      expect(text).not.toContain(alice.user.email);
      // Nor does the account menu offer the page.
      await bob.page.getByRole("button", { name: "Account menu" }).click();
      await expect(bob.page.getByRole("menu", { name: "Account" }).getByRole("menuitem", { name: "Match reports" })).toHaveCount(0);
    } finally {
      await adminContext.close();
    }
  });
});

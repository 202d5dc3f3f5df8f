import { expect, test } from "@playwright/test";

import { ShellPage } from "./pages/shell-page";
import { newUser, registerViaApi, signInViaApi } from "./support/api";

test.describe("[SHELL]: app shell", () => {
  test("every visible control has an accessible name", async ({ page, request, context }) => {
    const user = newUser("Grace");
    await registerViaApi(request, user);
    await signInViaApi(context.request, user);
    await page.goto("/");
    const shell = new ShellPage(page);
    await shell.expectConnected();
    await shell.connection.click();
    await shell.accountMenu.click();

    const unnamed = await page.locator("button, a, input, [role=menuitem]").evaluateAll((elements) =>
      elements
        .filter((element) => (element as HTMLElement).offsetParent !== null)
        .filter((element) => {
          const label = element.getAttribute("aria-label") || element.textContent?.trim() || (element.id && document.querySelector(`label[for="${element.id}"]`)?.textContent);
          return !label;
        })
        .map((element) => element.outerHTML.slice(0, 120)),
    );
    expect(unnamed).toEqual([]);
    await expect(page.getByRole("menu", { name: "Account" })).toContainText(user.email);
  });

  test("on a phone the conversation list opens from the header", async ({ browser, request }) => {
    const user = newUser("Heidi");
    await registerViaApi(request, user);
    const context = await browser.newContext({ viewport: { width: 390, height: 800 }, baseURL: test.info().project.use.baseURL });
    await signInViaApi(context.request, user);
    const page = await context.newPage();
    await page.goto("/");
    await new ShellPage(page).expectConnected();

    const nav = page.getByRole("navigation", { name: "Conversations" });
    await expect(nav).not.toBeInViewport();
    await page.getByRole("button", { name: "Open conversations" }).click();
    await expect(nav).toBeInViewport();
    await page.getByRole("button", { name: "Close conversations" }).click();
    await expect(nav).not.toBeInViewport();
    await context.close();
  });
});
